// Versioning: runs in flight replay their history against this code, so every change to the
// commands the interpreter issues goes behind `patched(<id>)`, with the ids and the rules for
// adding one (and for `deprecatePatch` later) in ./patches.ts.
import {
  ApplicationFailure,
  CancellationScope,
  defineQuery,
  defineSignal,
  defineUpdate,
  isCancellation,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  heldBackAlertsKept,
  parametersSchemaFor,
  pathToString,
  renderTemplates,
  runProtocol,
  stepErrors,
  type AlertHeldBackSignal,
  type AlertResolvedSignal,
  type DecideCheckpointInput,
  type DecideCheckpointResult,
  type RunInput,
  type RunState,
} from '@runwright/runbook';
import { CheckpointDesk } from './checkpoint-desk.js';
import { acquireConcurrencyKey } from './concurrency-key.js';
import { workflowNow } from './clock.js';
import { GraphRun, subGraphOf } from './graph-run.js';
import { serveItemCheckpoints } from './item-desk.js';
import { rollBack } from './rollback.js';
import { baseScope, type RunContext } from './run-context.js';
import { reusableOutputs } from './resume.js';
import { RunStateBook } from './run-state-book.js';

export const runStateQuery = defineQuery<RunState>(runProtocol.queries.state);
export const decideCheckpointUpdate = defineUpdate<DecideCheckpointResult, [DecideCheckpointInput]>(
  runProtocol.updates.decideCheckpoint,
);
export const alertResolvedSignal = defineSignal<[AlertResolvedSignal]>(runProtocol.signals.alertResolved);
export const alertHeldBackSignal = defineSignal<[AlertHeldBackSignal]>(runProtocol.signals.alertHeldBack);

/** Interprets any runbook: the definition is the input, every side effect is an activity. */
export async function runbookInterpreter(rawInput: RunInput): Promise<RunState> {
  const { runbook } = rawInput;
  const info = workflowInfo();
  // The API validated the parameters already; checking again here gives runs started by any
  // client the same defaults and the same refusal of bad values.
  const parsedParams = parametersSchemaFor(runbook.parameters).safeParse(rawInput.params);
  const input: RunInput = parsedParams.success ? { ...rawInput, params: parsedParams.data } : rawInput;
  const book = new RunStateBook(input, info.runStartTime);
  setHandler(runStateQuery, () => book.state);
  if (!parsedParams.success) {
    // Refused, but still answerable: the query says why the run ended.
    const message = `invalid parameters: ${parsedParams.error.issues.map((i) => `${pathToString(['params', ...i.path])}: ${i.message}`).join('; ')}`;
    book.finish('failed', { message });
    throw ApplicationFailure.nonRetryable(message, 'InvalidParameters');
  }
  const desk = new CheckpointDesk(book, { startedBy: input.trigger.by, planHash: input.planHash });
  setHandler(decideCheckpointUpdate, (decision) => desk.decide(decision), {
    validator: (decision) => desk.validate(decision),
  });

  let ending = false;
  setHandler(alertResolvedSignal, (signal) => {
    if (book.state.alertResolved) return;
    const endWaiting = runbook.defaults.onAlertResolved === 'endWaiting' && book.state.status !== 'succeeded';
    book.state.alertResolved = {
      receivedAt: workflowNow().toISOString(),
      ...(signal?.resolvedAt && { resolvedAt: signal.resolvedAt }),
      endedWaiting: endWaiting,
    };
    ending ||= endWaiting;
  });
  // Only state changes, no command: histories with or without this signal replay the same.
  setHandler(alertHeldBackSignal, (signal) => {
    const kept = [...(book.state.heldBackAlerts ?? []), signal].slice(-heldBackAlertsKept);
    book.state.heldBackAlerts = kept;
    book.state.heldBackAlertsTotal = (book.state.heldBackAlertsTotal ?? 0) + 1;
  });
  if (input.dryRun) book.state.dryRun = true;

  const context: RunContext = {
    runId: info.workflowId,
    runbookId: runbook.id,
    planHash: input.planHash,
    params: input.params,
    trigger: input.trigger,
    defaults: runbook.defaults,
    desk,
    input,
    dryRun: input.dryRun ?? false,
    ending: () => ending,
  };
  const outer = subGraphOf(runbook.nodes, runbook.edges, undefined);
  const graph = new GraphRun(context, outer, book, {
    keyPrefix: '',
    ...(input.resume && { reuse: { fromWorkflowId: input.resume.fromWorkflowId, outputs: reusableOutputs(outer.edges, input.resume) } }),
  });
  const itemCheckpoints = serveItemCheckpoints(desk, graph.halted, () => book.refreshRunStatus());
  context.itemCheckpoints = itemCheckpoints;
  book.onlyWaiting = (nodeId) => itemCheckpoints.onlyWaiting(nodeId);
  if (input.resume) book.state.resumedFrom = { workflowId: input.resume.fromWorkflowId, node: input.resume.fromNode };

  const lease = await takeConcurrencyKey(context, book);
  try {
    return await runGraph(graph, book);
  } finally {
    if (lease) await CancellationScope.nonCancellable(lease.release);
  }
}

/** Waits for (or is refused) the runbook's concurrency key, if it has one. */
async function takeConcurrencyKey(context: RunContext, book: RunStateBook): Promise<{ release: () => Promise<void> } | undefined> {
  const { concurrency, id } = context.input.runbook;
  if (!concurrency) return undefined;
  let key: string;
  try {
    key = String(await renderTemplates(concurrency.key, baseScope(context, {})));
  } catch (error) {
    // A key template that fails (or runs away) ends the run; thrown as it is, it would fail the
    // workflow task, which Temporal retries for ever.
    const { name, message } = error as Error;
    const text = `concurrency.key: ${message ?? String(error)}`;
    book.finish('failed', { message: text });
    throw ApplicationFailure.nonRetryable(text, name === stepErrors.expressionLimit ? stepErrors.expressionLimit : stepErrors.invalidConfig);
  }
  book.state.concurrency = { key, status: 'waiting' };
  const grant = await acquireConcurrencyKey(id, key, { runId: context.runId, onConflict: concurrency.onConflict }).catch((error: unknown) => {
    // Cancelled while queued: the lock hands the key on when it cannot reach this closed run.
    if (isCancellation(error)) book.finish('cancelled', { message: `the run was cancelled while waiting for the concurrency key "${key}"` });
    throw error;
  });
  if (!grant.granted) {
    book.state.concurrency = { key, status: 'refused', holder: grant.holder };
    const message = `run ${grant.holder} holds the concurrency key "${key}"`;
    book.finish('failed', { message });
    throw ApplicationFailure.nonRetryable(message, stepErrors.concurrencyRefused);
  }
  book.state.concurrency = { key, status: 'held' };
  return {
    release: async () => {
      await grant.release();
      book.state.concurrency = { key, status: 'released' };
    },
  };
}

/** Runs the outer graph, then turns its end into the run's end: rollback, status, result. */
async function runGraph(graph: GraphRun, book: RunStateBook): Promise<RunState> {
  const { runbook } = graph.context.input;
  try {
    await graph.run();
  } catch (error) {
    if (!isCancellation(error)) throw error;
    const rollbackFailure = runbook.defaults.rollbackOnCancel ? await rollBack(graph) : undefined;
    book.finish('cancelled', { message: `the run was cancelled${rollbackFailure ? `; ${rollbackFailure.message}` : ''}` });
    throw error;
  }
  if (graph.failure) {
    const { failure } = graph;
    const rollbackFailure = graph.rollbackRequested ? await rollBack(graph) : undefined;
    const message = `${failure.message}${rollbackFailure ? `; ${rollbackFailure.message}` : ''}`;
    book.finish('failed', { nodeId: failure.nodeId, message });
    throw ApplicationFailure.nonRetryable(`node ${failure.nodeId} failed: ${message}`, 'RunFailed');
  }
  book.finish('succeeded');
  return book.state;
}
