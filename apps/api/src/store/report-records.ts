import type { DrillReport } from '@runwright/runbook';

/**
 * Drill reports of closed runs, which never change, by run id and Temporal execution id (a
 * workflow id reused by a later run is another drill).
 */
export interface ReportRecords {
  /**
   * The report stored for this execution, as it was stored: unknown, because it may have been
   * written by an older version, so `ReportCache` checks its shape. Undefined when there is none
   * or it cannot be read (it is then computed again).
   */
  get(runId: string, execution: string): Promise<unknown>;
  put(runId: string, execution: string, report: DrillReport): Promise<void>;
  /** Every stored report as stored, with the run and execution it was stored under (for backups). */
  list(): Promise<{ runId: string; execution: string; report: unknown }[]>;
}
