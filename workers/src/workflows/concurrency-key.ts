import {
  ChildWorkflowCancellationType,
  condition,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  setHandler,
  sleep,
  startChild,
} from '@temporalio/workflow';
import { concurrencyLockWorkflowId, runProtocol } from '@runwright/runbook';
import { acquireSignal, grantedSignal, releaseSignal, type AcquireRequest, type KeyGrant } from './concurrency-lock.js';

/**
 * Asks the key's lock workflow for the key, starting that workflow when nobody holds the key.
 * The lock outlives this run (it is abandoned, not closed, when the run ends).
 */
export async function acquireConcurrencyKey(runbookId: string, key: string, request: AcquireRequest): Promise<KeyGrant & { release: () => Promise<void> }> {
  const lockId = concurrencyLockWorkflowId(runbookId, key);
  let grant: KeyGrant | undefined;
  setHandler(grantedSignal, (received) => {
    grant ??= received;
  });
  // Asking again is harmless (the lock re-answers a holder and keeps a waiter's place), so when
  // no answer comes we ask again, less and less often: a lock that ended just as we asked is
  // started anew, and a lost answer is sent again.
  for (let waitMs = 10_000; ; waitMs = Math.min(waitMs * 2, 600_000)) {
    await requestKey(lockId, request);
    if (await condition(() => grant !== undefined, waitMs)) break;
  }
  return {
    ...grant!,
    release: async () => {
      await getExternalWorkflowHandle(lockId)
        .signal(releaseSignal, { runId: request.runId })
        .catch(() => undefined);
    },
  };
}

/** Starts the key's lock with this request, or signals the request to the lock already running. */
async function requestKey(lockId: string, request: AcquireRequest): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      // The request travels with the start, so a new lock never sees itself idle and ends.
      await startChild(runProtocol.concurrencyLock.workflowType, {
        workflowId: lockId,
        args: [request],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        cancellationType: ChildWorkflowCancellationType.ABANDON,
      });
      return;
    } catch (error) {
      // Someone holds or waits for the key: the lock is running. (Matched by name: workflow code
      // imports only @temporalio/workflow, which does not re-export this class.)
      if ((error as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw error;
    }
    try {
      await getExternalWorkflowHandle(lockId).signal(acquireSignal, request);
      return;
    } catch (error) {
      // The lock finished between our start and our signal (its last holder left): start it again.
      if (attempt >= 5) throw error;
      await sleep(50 * attempt);
    }
  }
}
