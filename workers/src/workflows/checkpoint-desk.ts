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

/** Holds the run's open checkpoints and takes decisions on them (through the decide update). */
export class CheckpointDesk {
  private readonly outcomes = new Map<string, { outcome: 'approved' | 'rejected'; action?: FailureAction }>();

  constructor(
    private readonly book: RunStateBook,
    private readonly context: { startedBy: string; planHash: string },
  ) {}

  private pending(nodeId: string): PendingCheckpoint | undefined {
    return this.book.state.pendingCheckpoints.find((p) => p.nodeId === nodeId);
  }

  /** The update's validator: throwing here refuses the decision before it enters history. */
  validate(input: DecideCheckpointInput): void {
    const problems = decisionProblems(this.pending(input.nodeId), input, this.context);
    if (problems.length > 0) throw new Error(problems.map((p) => p.message).join('; '));
  }

  decide(input: DecideCheckpointInput): DecideCheckpointResult {
    const pending = this.pending(input.nodeId)!;
    const decision: CheckpointDecision = {
      decision: input.decision,
      by: input.decider.user,
      at: workflowNow().toISOString(),
      comment: input.comment ?? '',
      checklist: input.checklist ?? {},
    };
    pending.approvals.push(decision);
    if (pending.kind === 'failure') {
      this.outcomes.set(input.nodeId, { outcome: 'approved', action: input.action! });
      return { accepted: true, outcome: 'approved', decision, action: input.action! };
    }
    let outcome: DecideCheckpointResult['outcome'] = 'pending';
    if (input.decision === 'reject') outcome = 'rejected';
    else if (pending.approvals.filter((d) => d.decision === 'approve').length >= pending.quorum) outcome = 'approved';
    if (outcome !== 'pending') this.outcomes.set(input.nodeId, { outcome });
    return { accepted: true, outcome, decision };
  }

  /** Puts a checkpoint in the inbox; decisions on it are kept until it is closed. */
  open(checkpoint: Omit<PendingCheckpoint, 'since' | 'approvals'>): PendingCheckpoint {
    const pending: PendingCheckpoint = { ...checkpoint, since: workflowNow().toISOString(), approvals: [] };
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
    const settled = () => this.outcomes.has(pending.nodeId) || options.halted();
    const inTime = options.timeoutMs === undefined ? (await condition(settled), true) : await condition(settled, options.timeoutMs);
    const outcome = this.outcomes.get(pending.nodeId);
    if (outcome) return outcome;
    if (!inTime) return { outcome: 'timedOut' };
    return { outcome: 'abandoned' };
  }

  close(pending: PendingCheckpoint): void {
    this.outcomes.delete(pending.nodeId);
    this.book.state.pendingCheckpoints = this.book.state.pendingCheckpoints.filter((p) => p !== pending);
    this.book.refreshRunStatus();
  }
}
