import { isCancellation, patched } from '@temporalio/workflow';
import {
  evaluateExpression,
  failureActionSchema,
  stepErrors,
  topologyOf,
  type Edge,
  type ExpressionScope,
  type FailureAction,
  type OnFailure,
  type RunbookNode,
  type Topology,
} from '@runwright/runbook';
import { workflowNow } from './clock.js';
import { executeNode } from './execute-node.js';
import { describeFailure, isAbandoned, type NodeFailure } from './failures.js';
import { patches } from './patches.js';
import { baseScope, type RunContext, type StatusSink } from './run-context.js';
import { summarise } from './run-state-book.js';

/** How a node ended, as its successors see it. `passed` = skipped by a person after failing: the path stays live. */
type Settlement = 'succeeded' | 'passed' | 'failed' | 'skipped';

export interface GraphFailure {
  nodeId: string;
  message: string;
  type: string;
}

/**
 * One rollback call of a forEach item: a completed node of the item, in the item's scope and key
 * prefix, or (`nested`) one of a forEach nested in the item, in that inner item's own.
 */
export interface UndoCall {
  node: RunbookNode;
  scope: ExpressionScope;
  keyPrefix: string;
  nested: boolean;
}

/**
 * One entry of the rollback plan: a completed node with a rollback action, or a forEach item that
 * succeeded, whose rollback calls (oldest first) are undone newest first.
 */
export type Compensation =
  | { node: RunbookNode; item?: undefined }
  | {
      node: RunbookNode;
      item: { key: string; calls: UndoCall[]; rolledBack: () => void; rollbackFailed: (message: string) => void };
    };

/** The nodes and edges of one graph: the runbook's outer graph, or a forEach's sub-graph. */
export function subGraphOf(nodes: RunbookNode[], edges: Edge[], parent: string | undefined) {
  const inside = nodes.filter((n) => n.parent === parent);
  const ids = new Set(inside.map((n) => n.id));
  return { nodes: inside, edges: edges.filter((e) => ids.has(e.from) && ids.has(e.to)) };
}

/**
 * Runs one graph to the end. Each node settles once, when every incoming edge has settled; it
 * runs if at least one incoming edge is live (its source succeeded and, for a branch, the edge's
 * label was taken) and its `when` holds; otherwise it is skipped, which propagates. After a
 * failure the graph halts: nothing new starts and waiting checkpoints and soaks give up.
 */
export class GraphRun {
  readonly topology: Topology;
  readonly outputs: ExpressionScope['steps'];
  /** What completed and can be undone, oldest first: the rollback plan is this list reversed. */
  readonly completed: Compensation[] = [];
  failure: GraphFailure | undefined;
  rollbackRequested = false;
  private readonly taken = new Map<string, Set<string>>();
  private readonly settlements = new Map<string, Promise<Settlement>>();
  private readonly nodesById: Map<string, RunbookNode>;

  constructor(
    readonly context: RunContext,
    readonly graph: { nodes: RunbookNode[]; edges: Edge[] },
    readonly statuses: StatusSink,
    readonly options: {
      /** Prefix of activity node ids and idempotency keys, so items of a forEach stay distinct. */
      keyPrefix: string;
      item?: unknown;
      steps?: ExpressionScope['steps'];
      /** An outer halt (the enclosing graph failed) also halts this graph. */
      outerHalted?: () => boolean;
      /** Outputs taken over from the run this one resumes, by node id: those nodes do not run again. */
      reuse?: { fromWorkflowId: string; outputs: Map<string, unknown> };
    },
  ) {
    this.topology = topologyOf(graph);
    this.nodesById = new Map(graph.nodes.map((n) => [n.id, n]));
    this.outputs = { ...options.steps };
  }

  scope(): ExpressionScope {
    return baseScope(this.context, this.outputs, this.options.item);
  }

  halted = (): boolean => this.failure !== undefined || (this.options.outerHalted?.() ?? false) || (this.context.ending?.() ?? false);

  /** Branch nodes call this with the labels they take; edges with other labels stay dead. */
  take(nodeId: string, labels: string[]): void {
    this.taken.set(nodeId, new Set(labels));
  }

  async run(): Promise<void> {
    await Promise.all(this.graph.nodes.map((node) => this.settle(node.id)));
  }

  private edgeLive(edge: Edge, settlement: Settlement): boolean {
    if (settlement !== 'succeeded' && settlement !== 'passed') return false;
    const taken = this.taken.get(edge.from);
    return !taken || taken.has(edge.label ?? '');
  }

  private settle(id: string): Promise<Settlement> {
    let settlement = this.settlements.get(id);
    if (!settlement) {
      settlement = this.settleNow(id);
      this.settlements.set(id, settlement);
    }
    return settlement;
  }

  private async settleNow(id: string): Promise<Settlement> {
    const node = this.nodesById.get(id)!;
    const incoming = this.topology.incoming.get(id)!;
    const upstream = await Promise.all(incoming.map((edge) => this.settle(edge.from)));
    const reuse = this.options.reuse;
    if (reuse?.outputs.has(id)) return this.reuse(node, reuse.outputs.get(id), reuse.fromWorkflowId);
    const live = incoming.length === 0 || incoming.some((edge, i) => this.edgeLive(edge, upstream[i]!));
    if (!live || this.halted()) {
      this.statuses.update(id, { status: 'skipped' });
      return 'skipped';
    }
    if (node.when) {
      let holds: boolean;
      try {
        holds = Boolean(await evaluateExpression(node.when, this.scope()));
      } catch (error) {
        // A condition that cannot be evaluated fails its node (and stops the run) rather than
        // failing the workflow task, which Temporal would retry for ever.
        const message = `the when condition failed: ${(error as { message?: string }).message ?? String(error)}`;
        const type = (error as { name?: string }).name === stepErrors.expressionLimit ? stepErrors.expressionLimit : stepErrors.invalidConfig;
        this.statuses.update(id, { status: 'failed', error: { type, message } });
        this.failure ??= { nodeId: id, message, type };
        return 'failed';
      }
      if (!holds) {
        this.statuses.update(id, { status: 'skipped' });
        return 'skipped';
      }
    }
    return this.runWithPolicy(node);
  }

  private reuse(node: RunbookNode, output: unknown, fromWorkflowId: string): Settlement {
    if (node.kind === 'branch') this.take(node.id, (output as { taken?: string[] } | undefined)?.taken ?? []);
    this.outputs[node.id] = { output, status: 'succeeded' };
    this.statuses.update(node.id, { status: 'succeeded', output: summarise(output), resumedFrom: fromWorkflowId });
    if (node.rollback) this.completed.push({ node });
    return 'succeeded';
  }

  private async runWithPolicy(node: RunbookNode): Promise<Settlement> {
    // `attempts` adds up the attempts of every round a person asked for; `retries` counts those rounds.
    let earlierAttempts = 0;
    for (let round = 1; ; round++) {
      const startedAt = workflowNow().toISOString();
      const retries = round > 1 ? { retries: round - 1 } : {};
      this.statuses.update(node.id, { status: 'running', attempts: earlierAttempts + 1, ...retries, startedAt, error: undefined });
      let failure: NodeFailure;
      try {
        const { output, attempts } = await executeNode(this, node);
        this.outputs[node.id] = { output, status: 'succeeded' };
        this.statuses.update(node.id, { status: 'succeeded', attempts: earlierAttempts + attempts, endedAt: workflowNow().toISOString(), output: summarise(output) });
        if (node.rollback) this.completed.push({ node });
        return 'succeeded';
      } catch (error) {
        if (isCancellation(error)) throw error;
        if (isAbandoned(error)) {
          this.statuses.update(node.id, { status: 'skipped', endedAt: workflowNow().toISOString(), error: describeFailure(error) });
          return 'skipped';
        }
        failure = describeFailure(error);
      }
      this.outputs[node.id] = { status: 'failed' };
      earlierAttempts += failure.attempts ?? 1;
      this.statuses.update(node.id, {
        status: 'failed',
        attempts: earlierAttempts,
        endedAt: workflowNow().toISOString(),
        error: { type: failure.type, message: failure.message },
      });
      const policy: OnFailure = node.onFailure ?? this.context.defaults.onFailure ?? 'stop';
      const action: FailureAction = policy === 'ask' ? await this.ask(node, failure) : policy === 'rollback' ? 'rollback' : 'abort';
      if (action === 'retry') continue;
      if (action === 'skip') {
        this.outputs[node.id] = { status: 'skipped' };
        this.statuses.update(node.id, { status: 'skipped' });
        return 'passed';
      }
      this.failure ??= { nodeId: node.id, message: failure.message, type: failure.type };
      if (action === 'rollback') this.rollbackRequested = true;
      return 'failed';
    }
  }

  /** `onFailure: ask`: a checkpoint opened on the fly; a halt elsewhere while waiting means abort. */
  private async ask(node: RunbookNode, failure: NodeFailure): Promise<FailureAction> {
    const desk = this.context.desk;
    if (!desk || this.halted()) return 'abort';
    // Before the patch, items in batch children could not ask and acted as `stop`.
    if (desk.remote && !patched(patches.forEachItemAsk)) return 'abort';
    const actions = failureActionSchema.options.filter((a) => a !== 'rollback' || this.completed.length > 0 || node.rollback);
    const pending = desk.open({
      nodeId: node.id,
      kind: 'failure',
      title: `${node.title ?? node.id} failed: what now?`,
      instructions: `${failure.type}: ${failure.message}`,
      failure: { type: failure.type, message: failure.message },
      actions,
      checklist: [],
      approvers: { roles: ['operator', 'approver', 'admin'], users: [] },
      quorum: 1,
      fourEyes: false,
    });
    this.statuses.update(node.id, { status: 'waiting' });
    try {
      const outcome = await desk.wait(pending, { halted: this.halted });
      return outcome.outcome === 'approved' && outcome.action ? outcome.action : 'abort';
    } finally {
      const closing = desk.close(pending);
      if (closing) await closing;
      this.statuses.update(node.id, { status: 'failed' });
    }
  }
}
