import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DrillReport } from '@runwright/runbook';
import type { ReportRecords } from '../report-records.js';

/** Drill reports as files, one per run execution, so listing a runbook's drills does not replay every run's history again. */
export class FileReports implements ReportRecords {
  constructor(private readonly folder: string) {}

  private file(runId: string, execution: string): string {
    // Run ids are free text (alert routes, schedule ids): hash them into a safe file name.
    return join(this.folder, `${createHash('sha256').update(`${runId}\n${execution}`).digest('hex')}.json`);
  }

  async get(runId: string, execution: string): Promise<unknown> {
    try {
      return JSON.parse(await readFile(this.file(runId, execution), 'utf8'));
    } catch {
      return undefined; // Missing or unreadable: recomputed from the run's history.
    }
  }

  async put(runId: string, execution: string, report: DrillReport): Promise<void> {
    await mkdir(this.folder, { recursive: true });
    const target = this.file(runId, execution);
    const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temporary, JSON.stringify(report));
    await rename(temporary, target);
  }
}
