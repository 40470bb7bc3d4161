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
  for (let attempt = 1; ; attempt++) {
    try {
      await startChild(runProtocol.concurrencyLock.workflowType, {
        workflowId: lockId,
        parentClosePolicy: ParentClosePolicy.ABANDON,
        cancellationType: ChildWorkflowCancellationType.ABANDON,
      });
    } catch (error) {
      // Someone holds or waits for the key: the lock is running. (Matched by name: workflow code
      // imports only @temporalio/workflow, which does not re-export this class.)
      if ((error as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw error;
    }
    try {
      await getExternalWorkflowHandle(lockId).signal(acquireSignal, request);
      break;
    } catch (error) {
      // The lock finished between our start and our signal (its last holder left): start it again.
      if (attempt >= 5) throw error;
      await sleep(50 * attempt);
    }
  }
  await condition(() => grant !== undefined);
  return {
    ...grant!,
    release: async () => {
      await getExternalWorkflowHandle(lockId)
        .signal(releaseSignal, { runId: request.runId })
        .catch(() => undefined);
    },
  };
}
