import type pg from 'pg';
import type { DrillReport } from '@runwright/runbook';
import type { ReportRecords } from '../report-records.js';

/** Drill reports as rows by run id and execution; a report is written once and never changes, so the last write wins. */
export class PgReports implements ReportRecords {
  constructor(private readonly pool: pg.Pool) {}

  async get(runId: string, execution: string): Promise<unknown> {
    const { rows } = await this.pool.query<{ report: unknown }>('SELECT report FROM runwright.reports WHERE run_id = $1 AND execution = $2', [runId, execution]);
    return rows[0]?.report;
  }

  async put(runId: string, execution: string, report: DrillReport): Promise<void> {
    await this.pool.query(
      'INSERT INTO runwright.reports (run_id, execution, report) VALUES ($1, $2, $3) ON CONFLICT (run_id, execution) DO UPDATE SET report = EXCLUDED.report',
      [runId, execution, JSON.stringify(report)],
    );
  }

  async list(): Promise<{ runId: string; execution: string; report: unknown }[]> {
    const { rows } = await this.pool.query<{ runId: string; execution: string; report: unknown }>(
      'SELECT run_id AS "runId", execution, report FROM runwright.reports ORDER BY run_id COLLATE "C", execution COLLATE "C"',
    );
    return rows;
  }
}
