import { drillReportSchema, type DrillReport } from '@runwright/runbook';
import type { ReportRecords } from '../store/report-records.js';

/**
 * Reports of closed runs never change, so they are kept in the state store and listing a
 * runbook's drills does not replay every run's history again.
 */
export class ReportCache {
  constructor(private readonly records: ReportRecords) {}

  /** A stored report that still has today's shape and is this run's; otherwise undefined, and it is computed again. */
  async get(runId: string, execution: string): Promise<DrillReport | undefined> {
    const stored = await this.records.get(runId, execution);
    if (stored === undefined) return undefined;
    const parsed = drillReportSchema.safeParse(stored);
    return parsed.success && parsed.data.runId === runId ? parsed.data : undefined;
  }

  put(report: DrillReport, execution: string): Promise<void> {
    return this.records.put(report.runId, execution, report);
  }
}
