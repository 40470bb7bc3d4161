import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { concurrencyLockWorkflowId, runProtocol } from '@runwright/runbook';

/** How long a run this process started counts as the holder of its key before its lock answers for it. */
const startGraceMs = 30_000;

/**
 * Who holds a runbook's concurrency key, asked before an alert starts a run that the key would
 * refuse (`onConflict: refuse`): the key's lock workflow answers (one query, no visibility scan),
 * and a run this process started moments ago counts until its lock has it — a run takes its key
 * only once its workflow runs, and two alerts for one host arrive together. The lock stays the
 * final word: a run that slips past this check is refused by it, as before.
 */
export class ConcurrencyHolders {
  private readonly recent = new Map<string, { runId: string; at: number }>();

  constructor(private readonly client: Client) {}

  recordStart(runbookId: string, key: string, runId: string, now = Date.now()): void {
    for (const [lockId, entry] of this.recent) if (now - entry.at > startGraceMs) this.recent.delete(lockId);
    this.recent.set(concurrencyLockWorkflowId(runbookId, key), { runId, at: now });
  }

  /** The run holding the key now, or undefined. */
  async holder(runbookId: string, key: string, now = Date.now()): Promise<string | undefined> {
    const lockId = concurrencyLockWorkflowId(runbookId, key);
    try {
      const holder = await this.client.workflow.getHandle(lockId).query<string | undefined>(runProtocol.concurrencyLock.queries.holder);
      if (holder) return holder;
    } catch (error) {
      // No lock: nobody holds or waits for the key.
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
    const recent = this.recent.get(lockId);
    if (!recent || now - recent.at > startGraceMs) return undefined;
    const { status } = await this.client.workflow.getHandle(recent.runId).describe();
    return status.name === 'RUNNING' ? recent.runId : undefined;
  }
}
