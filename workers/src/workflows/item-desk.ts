import { condition, defineSignal, getExternalWorkflowHandle, isCancellation, setHandler, workflowInfo } from '@temporalio/workflow';
import type { CheckpointDecision, PendingCheckpoint } from '@runwright/runbook';
import type { CheckpointDesk, Desk, DeskOutcome, OpenCheckpoint } from './checkpoint-desk.js';
import { workflowNow } from './clock.js';

/**
 * Checkpoints inside forEach items. Items run in batch child workflows, which nobody addresses;
 * so a waiting item asks the run (the parent) by signal, the run puts the checkpoint in its own
 * inbox with the item's key (same validator, plan hash and deciders as any checkpoint), and
 * signals the outcome back. These signals are internal to the interpreter, not the run protocol.
 */
interface ItemCheckpointRequest {
  requestId: string;
  /** The batch child's workflow id, where the outcome goes. */
  replyTo: string;
  checkpoint: OpenCheckpoint;
  /** Decisions of earlier rounds (an escalated checkpoint asks again and keeps them). */
  approvals: CheckpointDecision[];
  timeoutMs?: number;
}
interface ItemCheckpointReply {
  requestId: string;
  outcome: DeskOutcome;
  approvals: CheckpointDecision[];
}

const openSignal = defineSignal<[ItemCheckpointRequest]>('runwright.itemCheckpoint.open');
const withdrawSignal = defineSignal<[{ requestId: string }]>('runwright.itemCheckpoint.withdraw');
const replySignal = defineSignal<[ItemCheckpointReply]>('runwright.itemCheckpoint.reply');

export interface ItemCheckpoints {
  /** A batch child has ended: whatever it still had waiting here is withdrawn (nobody waits for it). */
  batchEnded(workflowId: string): void;
}

/** In the run: takes item checkpoints into the desk and answers each when it is decided, times out or the run halts. */
export function serveItemCheckpoints(desk: CheckpointDesk, halted: () => boolean): ItemCheckpoints {
  const withdrawn = new Set<string>();
  const open = new Map<string, string>();
  setHandler(withdrawSignal, ({ requestId }) => void withdrawn.add(requestId));
  setHandler(openSignal, async (request) => {
    const pending = desk.open(request.checkpoint, request.approvals);
    open.set(request.requestId, request.replyTo);
    let outcome: DeskOutcome;
    try {
      outcome = await desk.wait(pending, {
        ...(request.timeoutMs !== undefined && { timeoutMs: request.timeoutMs }),
        halted: () => halted() || withdrawn.has(request.requestId),
      });
    } catch (error) {
      // The run is being cancelled: its children are cancelled with it, nobody waits for an answer.
      if (isCancellation(error)) return;
      throw error;
    } finally {
      open.delete(request.requestId);
      desk.close(pending);
    }
    if (withdrawn.has(request.requestId)) return;
    const reply: ItemCheckpointReply = { requestId: request.requestId, outcome, approvals: pending.approvals };
    // The batch may have ended meanwhile (its item halted); then nobody waits for this answer.
    await getExternalWorkflowHandle(request.replyTo).signal(replySignal, reply).catch(() => undefined);
  });
  return {
    batchEnded: (workflowId) => {
      for (const [requestId, replyTo] of open) if (replyTo === workflowId) withdrawn.add(requestId);
    },
  };
}

/** In a batch child: receives the run's answers; one per child workflow, shared by its items. */
export class ItemDeskChannel {
  private readonly replies = new Map<string, ItemCheckpointReply>();
  private requests = 0;

  constructor(readonly runId: string) {
    setHandler(replySignal, (reply) => void this.replies.set(reply.requestId, reply));
  }

  nextRequestId(): string {
    this.requests += 1;
    return `${workflowInfo().workflowId}#${this.requests}`;
  }

  async ask(request: Omit<ItemCheckpointRequest, 'replyTo'>, halted: () => boolean): Promise<ItemCheckpointReply | undefined> {
    await getExternalWorkflowHandle(this.runId).signal(openSignal, { ...request, replyTo: workflowInfo().workflowId });
    await condition(() => this.replies.has(request.requestId) || halted());
    const reply = this.replies.get(request.requestId);
    this.replies.delete(request.requestId);
    return reply;
  }

  async withdraw(requestId: string): Promise<void> {
    await getExternalWorkflowHandle(this.runId).signal(withdrawSignal, { requestId });
  }
}

/** One item's desk in a batch child: its checkpoints are opened, decided and timed on the run. */
export class RemoteDesk implements Desk {
  readonly remote = true;
  /** The request a checkpoint is waiting on at the run ('' while none is). */
  private readonly requestOf = new Map<PendingCheckpoint, string>();

  constructor(
    private readonly channel: ItemDeskChannel,
    private readonly item: { forEachId: string; key: string },
  ) {}

  open(checkpoint: OpenCheckpoint): PendingCheckpoint {
    const pending: PendingCheckpoint = { ...checkpoint, item: this.item, since: workflowNow().toISOString(), approvals: [] };
    this.requestOf.set(pending, '');
    return pending;
  }

  async wait(pending: PendingCheckpoint, options: { timeoutMs?: number; halted: () => boolean }): Promise<DeskOutcome> {
    const requestId = this.channel.nextRequestId();
    this.requestOf.set(pending, requestId);
    const { since: _since, approvals, ...checkpoint } = pending;
    const reply = await this.channel.ask(
      { requestId, checkpoint, approvals, ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }) },
      options.halted,
    );
    if (!reply) return { outcome: 'abandoned' };
    this.requestOf.set(pending, '');
    pending.approvals = reply.approvals;
    return reply.outcome;
  }

  /** Closing a checkpoint the run still shows (this item halted first) takes it out of the run's inbox. */
  close(pending: PendingCheckpoint): Promise<void> | undefined {
    const requestId = this.requestOf.get(pending);
    this.requestOf.delete(pending);
    return requestId ? this.channel.withdraw(requestId).catch(() => undefined) : undefined;
  }
}
