import { condition, defineSignal, getExternalWorkflowHandle, isCancellation, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import type { CheckpointDecision, PendingCheckpoint } from '@runwright/runbook';
import { BatchWaits } from './batch-waits.js';
import type { CheckpointDesk, Desk, DeskOutcome, OpenCheckpoint } from './checkpoint-desk.js';
import { workflowNow } from './clock.js';
import { patches } from './patches.js';

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
  /** Items of the batch already finished when it asked (only with the settled-notice patch). */
  settled?: string[];
}
interface ItemCheckpointReply {
  requestId: string;
  outcome: DeskOutcome;
  approvals: CheckpointDecision[];
}

const openSignal = defineSignal<[ItemCheckpointRequest]>('runwright.itemCheckpoint.open');
const withdrawSignal = defineSignal<[{ requestId: string }]>('runwright.itemCheckpoint.withdraw');
const replySignal = defineSignal<[ItemCheckpointReply]>('runwright.itemCheckpoint.reply');
const settledSignal = defineSignal<[{ batch: string; key: string }]>('runwright.itemCheckpoint.itemSettled');

export interface ItemCheckpoints {
  /** A batch child has ended: whatever it still had waiting here is withdrawn (nobody waits for it). */
  batchEnded(workflowId: string): void;
  /** A batch child is about to start: its items, and how many of them run at once. */
  batchStarting(workflowId: string, forEach: { forEachId: string; keys: string[]; lanes: number }): void;
  /** True while the forEach's items are all waiting for people (nothing of theirs runs): the run then reads `waiting`. */
  onlyWaiting(forEachId: string): boolean;
}

/**
 * In the run: takes item checkpoints into the desk and answers each when it is decided, times out
 * or the run halts. `changed` is called when the batches' picture changes without the desk knowing.
 */
export function serveItemCheckpoints(desk: CheckpointDesk, halted: () => boolean, changed: () => void = () => undefined): ItemCheckpoints {
  const withdrawn = new Set<string>();
  const open = new Map<string, string>();
  const waits = new BatchWaits();
  setHandler(withdrawSignal, ({ requestId }) => void withdrawn.add(requestId));
  setHandler(settledSignal, ({ batch, key }) => {
    waits.settled(batch, [key]);
    changed();
  });
  setHandler(openSignal, async (request) => {
    // Known before the desk opens it: opening refreshes the run's status, which reads these.
    waits.settled(request.replyTo, request.settled ?? []);
    if (request.checkpoint.item) waits.asked(request.requestId, request.replyTo, request.checkpoint.item.key);
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
      waits.answered(request.requestId);
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
      waits.ended(workflowId);
    },
    batchStarting: (workflowId, forEach) => waits.started(workflowId, forEach),
    onlyWaiting: (forEachId) => waits.onlyWaiting(forEachId),
  };
}

/** In a batch child: receives the run's answers; one per child workflow, shared by its items. */
export class ItemDeskChannel {
  private readonly replies = new Map<string, ItemCheckpointReply>();
  private requests = 0;
  /** Asks still unanswered, and the items of this batch that have finished. */
  private outstanding = 0;
  private readonly settled: string[] = [];

  constructor(readonly runId: string) {
    setHandler(replySignal, (reply) => void this.replies.set(reply.requestId, reply));
  }

  nextRequestId(): string {
    this.requests += 1;
    return `${workflowInfo().workflowId}#${this.requests}`;
  }

  async ask(request: Omit<ItemCheckpointRequest, 'replyTo' | 'settled'>, halted: () => boolean): Promise<ItemCheckpointReply | undefined> {
    const settled = this.settled.length > 0 && patched(patches.forEachItemSettledNotice) ? { settled: [...this.settled] } : {};
    this.outstanding += 1;
    try {
      await getExternalWorkflowHandle(this.runId).signal(openSignal, { ...request, replyTo: workflowInfo().workflowId, ...settled });
      await condition(() => this.replies.has(request.requestId) || halted());
    } finally {
      this.outstanding -= 1;
    }
    const reply = this.replies.get(request.requestId);
    this.replies.delete(request.requestId);
    return reply;
  }

  /**
   * An item of this batch finished. While the batch has checkpoints waiting at the run, the run
   * hears of it, so it can tell when nothing of the batch runs any more (see batch-waits.ts).
   */
  async itemSettled(key: string): Promise<void> {
    this.settled.push(key);
    if (this.outstanding > 0 && patched(patches.forEachItemSettledNotice)) {
      await getExternalWorkflowHandle(this.runId)
        .signal(settledSignal, { batch: workflowInfo().workflowId, key })
        .catch(() => undefined);
    }
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
