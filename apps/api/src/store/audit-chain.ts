import type { AuditRecord } from '@runwright/runbook';

/**
 * The audit log's records, in the order they were written. A backend stores them; how a record
 * is chained to the one before (`audit/audit-log.ts`) is the same for every backend.
 */
export interface AuditChain {
  /**
   * Appends the record `next` makes from the chain's last record (undefined while it is empty)
   * and returns it. The backend serialises appends — within a process for files, across API
   * replicas for a database — because two appends built on one last record fork the chain.
   */
  append(next: (last: AuditRecord | undefined) => AuditRecord): Promise<AuditRecord>;
  /** Every record as stored, a tampered one included, so that checking the chain finds it. */
  read(): Promise<AuditRecord[]>;
}
