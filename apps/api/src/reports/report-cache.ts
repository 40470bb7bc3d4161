import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { drillReportSchema, type DrillReport } from '@runwright/runbook';

/**
 * Reports of closed runs never change, so they are kept as files (one per run) and listing a
 * runbook's drills does not replay every run's history again.
 */
export class ReportCache {
  constructor(readonly folder: string) {}

  private file(runId: string, execution: string): string {
    // Run ids are free text (alert routes, schedule ids): hash them into a safe file name.
    return join(this.folder, `${createHash('sha256').update(`${runId}\n${execution}`).digest('hex')}.json`);
  }

  async get(runId: string, execution: string): Promise<DrillReport | undefined> {
    try {
      const parsed = drillReportSchema.safeParse(JSON.parse(await readFile(this.file(runId, execution), 'utf8')));
      return parsed.success && parsed.data.runId === runId ? parsed.data : undefined;
    } catch {
      return undefined; // Missing or unreadable: recomputed from the run's history.
    }
  }

  async put(report: DrillReport, execution: string): Promise<void> {
    await mkdir(this.folder, { recursive: true });
    const target = this.file(report.runId, execution);
    const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temporary, JSON.stringify(report));
    await rename(temporary, target);
  }
}
