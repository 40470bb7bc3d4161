import { condition } from '@temporalio/workflow';
import {
  decisionProblems,
  type CheckpointDecision,
  type DecideCheckpointInput,
  type DecideCheckpointResult,
  type FailureAction,
  type PendingCheckpoint,
} from '@runwright/runbook';
import { workflowNow } from './clock.js';
import type { RunStateBook } from './run-state-book.js';

export type DeskOutcome =
  | { outcome: 'approved' | 'rejected'; action?: FailureAction }
  | { outcome: 'timedOut' }
  /** The run halted (another node failed) while this checkpoint waited. */
  | { outcome: 'abandoned' };

export type OpenCheckpoint = Omit<PendingCheckpoint, 'since' | 'approvals'>;

/** Where a graph's checkpoints wait: the run's own desk, or (inside a forEach batch child) the run's desk reached by signals. */
export interface Desk {
  /** True in batch children: the checkpoint is decided on the parent run. */
  readonly remote: boolean;
  open(checkpoint: OpenCheckpoint): PendingCheckpoint;
  wait(pending: PendingCheckpoint, options: { timeoutMs?: number; halted: () => boolean }): Promise<DeskOutcome>;
  /**
   * Takes the checkpoint out of the inbox. A remote desk returns a promise to await: the run must
   * hear of it before the batch child ends. The run's own desk returns nothing, so closing adds no
   * await (and no change in the order of commands) on the path older histories recorded.
   */
  close(pending: PendingCheckpoint): Promise<void> | undefined;
}

/** Holds the run's open checkpoints and takes decisions on them (through the decide update). */
export class CheckpointDesk implements Desk {
  readonly remote = false;
  private readonly outcomes = new Map<PendingCheckpoint, { outcome: 'approved' | 'rejected'; action?: FailureAction }>();

  constructor(
    private readonly book: RunStateBook,
    private readonly context: { startedBy: string; planHash: string },
  ) {}

  /** The checkpoint a decision addresses: by node id, and by item key when forEach items wait at the same node. */
  private find(input: Pick<DecideCheckpointInput, 'nodeId' | 'itemKey'>): { pending?: PendingCheckpoint; ambiguous?: string } {
    const matches = this.book.state.pendingCheckpoints.filter(
      (p) => p.nodeId === input.nodeId && (input.itemKey === undefined ? true : p.item?.key === input.itemKey),
    );
    if (matches.length <= 1) return { ...(matches[0] && { pending: matches[0] }) };
    const keys = matches.map((p) => p.item?.key ?? '(the run)').join(', ');
    return { ambiguous: `checkpoint "${input.nodeId}" is waiting for several items (${keys}): name one with itemKey` };
  }

  /** The update's validator: throwing here refuses the decision before it enters history. */
  validate(input: DecideCheckpointInput): void {
    const { pending, ambiguous } = this.find(input);
    if (ambiguous) throw new Error(ambiguous);
    const problems = decisionProblems(pending, input, this.context);
    if (problems.length > 0) throw new Error(problems.map((p) => p.message).join('; '));
  }

  decide(input: DecideCheckpointInput): DecideCheckpointResult {
    const pending = this.find(input).pending!;
    const decision: CheckpointDecision = {
      decision: input.decision,
      by: input.decider.user,
      at: workflowNow().toISOString(),
      comment: input.comment ?? '',
      checklist: input.checklist ?? {},
    };
    pending.approvals.push(decision);
    if (pending.kind === 'failure') {
      this.outcomes.set(pending, { outcome: 'approved', action: input.action! });
      return { accepted: true, outcome: 'approved', decision, action: input.action! };
    }
    let outcome: DecideCheckpointResult['outcome'] = 'pending';
    if (input.decision === 'reject') outcome = 'rejected';
    else if (pending.approvals.filter((d) => d.decision === 'approve').length >= pending.quorum) outcome = 'approved';
    if (outcome !== 'pending') this.outcomes.set(pending, { outcome });
    return { accepted: true, outcome, decision };
  }

  /** Puts a checkpoint in the inbox; decisions on it are kept until it is closed. `approvals` carries earlier rounds over. */
  open(checkpoint: OpenCheckpoint, approvals: CheckpointDecision[] = []): PendingCheckpoint {
    const pending: PendingCheckpoint = { ...checkpoint, since: workflowNow().toISOString(), approvals: [...approvals] };
    this.book.state.pendingCheckpoints.push(pending);
    this.book.refreshRunStatus();
    return pending;
  }

  /**
   * Waits for the outcome of an open checkpoint, at most `timeoutMs`, and gives up when `halted`
   * turns true. A timeout is an outcome, not an exception: the caller's runbook decides its meaning.
   */
  async wait(pending: PendingCheckpoint, options: { timeoutMs?: number; halted: () => boolean }): Promise<DeskOutcome> {
    if (options.timeoutMs !== undefined) {
      pending.deadline = new Date(workflowNow().getTime() + options.timeoutMs).toISOString();
    }
    const settled = () => this.outcomes.has(pending) || options.halted();
    const inTime = options.timeoutMs === undefined ? (await condition(settled), true) : await condition(settled, options.timeoutMs);
    const outcome = this.outcomes.get(pending);
    if (outcome) return outcome;
    if (!inTime) return { outcome: 'timedOut' };
    return { outcome: 'abandoned' };
  }

  close(pending: PendingCheckpoint): undefined {
    this.outcomes.delete(pending);
    this.book.state.pendingCheckpoints = this.book.state.pendingCheckpoints.filter((p) => p !== pending);
    this.book.refreshRunStatus();
    return undefined;
  }
}
