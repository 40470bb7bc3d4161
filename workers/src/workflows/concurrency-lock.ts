import { allHandlersFinished, condition, defineQuery, defineSignal, getExternalWorkflowHandle, setHandler } from '@temporalio/workflow';
import { runProtocol } from '@runwright/runbook';

export interface AcquireRequest {
  runId: string;
  onConflict: 'wait' | 'refuse';
}
export interface KeyGrant {
  granted: boolean;
  /** The run holding the key: the requester itself when granted, the blocker when refused. */
  holder: string;
}

const names = runProtocol.concurrencyLock.signals;
export const acquireSignal = defineSignal<[AcquireRequest]>(names.acquire);
export const releaseSignal = defineSignal<[{ runId: string }]>(names.release);
export const grantedSignal = defineSignal<[KeyGrant]>(names.granted);
export const holderQuery = defineQuery<string | undefined>(runProtocol.concurrencyLock.queries.holder);

/**
 * One concurrency key's lock: grants it to one run at a time, queues the runs that wait and
 * refuses the ones that may not. It lives only while someone holds or waits for the key.
 */
export async function concurrencyLock(first?: AcquireRequest): Promise<void> {
  let holder: string | undefined;
  const queue: string[] = [];
  const outbox: { to: string; grant: KeyGrant }[] = [];
  const handOn = () => {
    holder = queue.shift();
    if (holder) outbox.push({ to: holder, grant: { granted: true, holder } });
  };

  const acquire = ({ runId, onConflict }: AcquireRequest) => {
    if (holder === runId) {
      // A repeated request: answer again, the first answer may have been lost.
      outbox.push({ to: runId, grant: { granted: true, holder } });
      return;
    }
    if (queue.includes(runId)) return;
    if (!holder) {
      holder = runId;
      outbox.push({ to: runId, grant: { granted: true, holder } });
    } else if (onConflict === 'refuse') {
      outbox.push({ to: runId, grant: { granted: false, holder } });
    } else {
      queue.push(runId);
    }
  };
  if (first) acquire(first);
  // A query adds no event to history: old locks replay the same with it.
  setHandler(holderQuery, () => holder);
  setHandler(acquireSignal, acquire);
  setHandler(releaseSignal, ({ runId }) => {
    if (holder === runId) handOn();
    else if (queue.includes(runId)) queue.splice(queue.indexOf(runId), 1);
  });

  for (;;) {
    await condition(() => outbox.length > 0 || (holder === undefined && queue.length === 0));
    while (outbox.length > 0) {
      const message = outbox.shift()!;
      try {
        await getExternalWorkflowHandle(message.to).signal(grantedSignal, message.grant);
      } catch {
        // The run is gone (terminated, or finished without releasing): it cannot hold the key.
        if (message.grant.granted && holder === message.to) handOn();
      }
    }
    if (holder === undefined && queue.length === 0 && outbox.length === 0) {
      await condition(allHandlersFinished);
      if (holder === undefined && queue.length === 0 && outbox.length === 0) return;
    }
  }
}
