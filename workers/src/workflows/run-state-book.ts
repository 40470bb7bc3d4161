import type { NodeState, RunInput, RunState } from '@runwright/runbook';
import { workflowNow } from './clock.js';

const summaryLimit = 8_192;

/** Keeps the query's view small: large outputs are cut to a preview (the full value stays in history). */
export function summarise(output: unknown): unknown {
  const text = JSON.stringify(output) ?? 'null';
  if (text.length <= summaryLimit) return output;
  return { truncated: true, bytes: text.length, preview: text.slice(0, summaryLimit) };
}

/** The live state the query returns; every change to it goes through these methods. */
export class RunStateBook {
  readonly state: RunState;
  /** Whether a running node (a forEach) has nothing running but items waiting for people. */
  onlyWaiting: (nodeId: string) => boolean = () => false;

  constructor(input: RunInput, workflowStartedAt: Date) {
    this.state = {
      runbookId: input.runbook.id,
      planHash: input.planHash,
      status: 'running',
      startedBy: input.trigger.by,
      startedAt: workflowStartedAt.toISOString(),
      params: input.params,
      // Nodes inside a forEach run per item; their progress shows on the forEach node.
      nodes: Object.fromEntries(input.runbook.nodes.filter((n) => !n.parent).map((n) => [n.id, { status: 'pending', attempts: 0 } satisfies NodeState])),
      pendingCheckpoints: [],
    };
  }

  node(id: string): NodeState {
    return this.state.nodes[id]!;
  }

  update(id: string, change: Partial<NodeState>): void {
    this.state.nodes[id] = { ...this.node(id), ...change };
    this.refreshRunStatus();
  }

  finish(status: RunState['status'], error?: RunState['error']): void {
    this.state.status = status;
    this.state.endedAt = workflowNow().toISOString();
    if (error) this.state.error = error;
  }

  /** A running run is `waiting` while nothing runs and a person is being asked, at the run or in forEach items. */
  refreshRunStatus(): void {
    if (this.state.status !== 'running' && this.state.status !== 'waiting') return;
    const statuses = Object.entries(this.state.nodes).map(([id, n]) => (n.status === 'running' && this.onlyWaiting(id) ? 'waiting' : n.status));
    this.state.status = statuses.includes('waiting') && !statuses.includes('running') ? 'waiting' : 'running';
  }
}
