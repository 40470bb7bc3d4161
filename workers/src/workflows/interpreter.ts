import {
  ApplicationFailure,
  defineQuery,
  defineUpdate,
  isCancellation,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  parametersSchemaFor,
  pathToString,
  renderTemplates,
  runProtocol,
  stepErrors,
  stepKinds,
  topologyOf,
  type DecideCheckpointInput,
  type DecideCheckpointResult,
  type ExpressionScope,
  type NodeOfKind,
  type RunbookNode,
  type RunInput,
  type RunState,
  type StepType,
} from '@runwright/runbook';
import { runAction } from './action-node.js';
import { CheckpointDesk } from './checkpoint-desk.js';
import { workflowNow } from './clock.js';
import { describeFailure } from './failures.js';
import { RunStateBook, summarise } from './run-state-book.js';

export const runStateQuery = defineQuery<RunState>(runProtocol.queries.state);
export const decideCheckpointUpdate = defineUpdate<DecideCheckpointResult, [DecideCheckpointInput]>(
  runProtocol.updates.decideCheckpoint,
);

/** How a node ended, as its successors see it. */
type Settlement = 'succeeded' | 'failed' | 'skipped';

type ControlType = { [K in StepType]: (typeof stepKinds)[K]['execution'] extends 'control' ? K : never }[StepType];

/** Interprets any runbook: the definition is the input, every side effect is an activity. */
export async function runbookInterpreter(rawInput: RunInput): Promise<RunState> {
  const { runbook } = rawInput;
  // The API validated the parameters already; checking again here gives runs started by any
  // client the same defaults and the same refusal of bad values.
  const parsedParams = parametersSchemaFor(runbook.parameters).safeParse(rawInput.params);
  if (!parsedParams.success) {
    throw ApplicationFailure.nonRetryable(
      `invalid parameters: ${parsedParams.error.issues.map((i) => `${pathToString(['params', ...i.path])}: ${i.message}`).join('; ')}`,
      'InvalidParameters',
    );
  }
  const input: RunInput = { ...rawInput, params: parsedParams.data };
  const info = workflowInfo();
  const book = new RunStateBook(input, info.runStartTime);
  const desk = new CheckpointDesk(book, { startedBy: input.trigger.by, planHash: input.planHash });
  setHandler(runStateQuery, () => book.state);
  setHandler(decideCheckpointUpdate, (decision) => desk.decide(decision), {
    validator: (decision) => desk.validate(decision),
  });

  const outputs: ExpressionScope['steps'] = {};
  const scope = (): ExpressionScope => ({
    params: input.params,
    steps: outputs,
    run: { id: info.workflowId, runbookId: runbook.id, startedBy: input.trigger.by },
  });
  let firstFailure: { nodeId: string; message: string } | undefined;

  const controlKinds: { [K in ControlType]: (node: NodeOfKind<K>) => Promise<unknown> } = {
    checkpoint: async (node) => {
      book.update(node.id, { status: 'waiting' });
      const result = await desk.await(node);
      if (result.outcome !== 'approved') {
        const last = result.decisions.at(-1);
        throw ApplicationFailure.nonRetryable(
          `checkpoint ${result.outcome}${last ? ` by ${last.by}${last.comment ? `: ${last.comment}` : ''}` : ''}`,
          stepErrors.checkpointRejected,
          result,
        );
      }
      return result;
    },
  };

  async function execute(node: RunbookNode): Promise<void> {
    book.update(node.id, { status: 'running', attempts: 1, startedAt: workflowNow().toISOString() });
    try {
      let output: unknown;
      let attempts = 1;
      if (stepKinds[node.kind].execution === 'action') {
        const config = await renderTemplates(node.config, scope());
        const result = await runAction(node, runbook.defaults, {
          runId: info.workflowId,
          nodeId: node.id,
          idempotencyKey: `${info.workflowId}/${node.id}`,
          config,
        } as never);
        output = result.output;
        attempts = result.attempt;
      } else {
        const handler = controlKinds[node.kind as ControlType] as (n: RunbookNode) => Promise<unknown>;
        output = await handler(node);
      }
      outputs[node.id] = { output, status: 'succeeded' };
      book.update(node.id, { status: 'succeeded', attempts, endedAt: workflowNow().toISOString(), output: summarise(output) });
    } catch (error) {
      if (isCancellation(error)) throw error;
      const failure = describeFailure(error);
      outputs[node.id] = { status: 'failed' };
      book.update(node.id, {
        status: 'failed',
        ...(failure.attempts && { attempts: failure.attempts }),
        endedAt: workflowNow().toISOString(),
        error: { type: failure.type, message: failure.message },
      });
      firstFailure ??= { nodeId: node.id, message: failure.message };
      throw new NodeFailed();
    }
  }

  // Each node settles once; it runs when every incoming edge has settled. A node whose
  // upstream all failed or was skipped is skipped, and nothing new starts after a failure.
  const topology = topologyOf(runbook);
  const settlements = new Map<string, Promise<Settlement>>();
  const nodesById = new Map(runbook.nodes.map((n) => [n.id, n]));
  const settle = (id: string): Promise<Settlement> => {
    let settlement = settlements.get(id);
    if (!settlement) {
      settlement = (async () => {
        const incoming = topology.incoming.get(id)!;
        const upstream = await Promise.all(incoming.map((edge) => settle(edge.from)));
        const live = incoming.length === 0 || upstream.some((s) => s === 'succeeded');
        if (!live || upstream.includes('failed') || firstFailure) {
          book.update(id, { status: 'skipped' });
          return 'skipped';
        }
        try {
          await execute(nodesById.get(id)!);
          return 'succeeded';
        } catch (error) {
          if (error instanceof NodeFailed) return 'failed';
          throw error;
        }
      })();
      settlements.set(id, settlement);
    }
    return settlement;
  };

  try {
    await Promise.all(runbook.nodes.map((node) => settle(node.id)));
  } catch (error) {
    if (isCancellation(error)) book.finish('cancelled', { message: 'the run was cancelled' });
    throw error;
  }
  if (firstFailure) {
    book.finish('failed', firstFailure);
    throw ApplicationFailure.nonRetryable(`node ${firstFailure.nodeId} failed: ${firstFailure.message}`, 'RunFailed');
  }
  book.finish('succeeded');
  return book.state;
}

/** Marks a node failure already recorded in the run state. */
class NodeFailed extends Error {}
