import { condition } from '@temporalio/workflow';
import {
  decisionProblems,
  type CheckpointDecision,
  type DecideCheckpointInput,
  type DecideCheckpointResult,
  type NodeOfKind,
  type PendingCheckpoint,
  type StepOutput,
} from '@runwright/runbook';
import { workflowNow } from './clock.js';
import type { RunStateBook } from './run-state-book.js';

type Outcome = 'approved' | 'rejected';

/** Holds the run's open checkpoints and takes decisions on them (through the decide update). */
export class CheckpointDesk {
  private readonly outcomes = new Map<string, Outcome>();

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
    let outcome: DecideCheckpointResult['outcome'] = 'pending';
    if (input.decision === 'reject') outcome = 'rejected';
    else if (pending.approvals.filter((d) => d.decision === 'approve').length >= pending.quorum) outcome = 'approved';
    if (outcome !== 'pending') this.outcomes.set(input.nodeId, outcome);
    return { accepted: true, outcome, decision };
  }

  /** Opens the checkpoint, waits for its outcome, and closes it again. */
  async await(node: NodeOfKind<'checkpoint'>): Promise<StepOutput<'checkpoint'>> {
    const { config } = node;
    const pending: PendingCheckpoint = {
      nodeId: node.id,
      title: config.title,
      instructions: config.instructions,
      checklist: config.checklist,
      approvers: config.approvers,
      quorum: config.quorum,
      fourEyes: config.fourEyes,
      since: workflowNow().toISOString(),
      approvals: [],
    };
    this.book.state.pendingCheckpoints.push(pending);
    try {
      await condition(() => this.outcomes.has(node.id));
      return { outcome: this.outcomes.get(node.id)!, decisions: pending.approvals };
    } finally {
      this.book.state.pendingCheckpoints = this.book.state.pendingCheckpoints.filter((p) => p !== pending);
    }
  }
}
