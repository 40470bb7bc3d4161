import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DrillReport } from '@runwright/runbook';
import type { ReportRecords } from '../report-records.js';

/** A report file: the report with the run and execution it is kept for, so a backup can name them. */
interface ReportFile {
  runId: string;
  execution: string;
  report: unknown;
}

function isReportFile(value: unknown): value is ReportFile {
  const file = value as Partial<ReportFile> | null;
  return typeof file === 'object' && file !== null && typeof file.runId === 'string' && typeof file.execution === 'string' && 'report' in file;
}

/**
 * Drill reports as files, one per run execution, so listing a runbook's drills does not replay
 * every run's history again. Each file holds `{ runId, execution, report }`; a file written
 * before that held the bare report, which is still served (but cannot be listed for a backup:
 * its execution is not known).
 */
export class FileReports implements ReportRecords {
  constructor(private readonly folder: string) {}

  private file(runId: string, execution: string): string {
    // Run ids are free text (alert routes, schedule ids): hash them into a safe file name.
    return join(this.folder, `${createHash('sha256').update(`${runId}\n${execution}`).digest('hex')}.json`);
  }

  async get(runId: string, execution: string): Promise<unknown> {
    try {
      const stored: unknown = JSON.parse(await readFile(this.file(runId, execution), 'utf8'));
      return isReportFile(stored) ? stored.report : stored;
    } catch {
      return undefined; // Missing or unreadable: recomputed from the run's history.
    }
  }

  async put(runId: string, execution: string, report: DrillReport): Promise<void> {
    await mkdir(this.folder, { recursive: true });
    const target = this.file(runId, execution);
    const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temporary, JSON.stringify({ runId, execution, report } satisfies ReportFile));
    await rename(temporary, target);
  }

  async list(): Promise<ReportFile[]> {
    let names: string[];
    try {
      names = (await readdir(this.folder)).filter((name) => /^[0-9a-f]{64}\.json$/.test(name)).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const files = await Promise.all(
      names.map(async (name) => {
        try {
          return JSON.parse(await readFile(join(this.folder, name), 'utf8')) as unknown;
        } catch {
          return undefined; // Unreadable: as for `get`, it is computed again from the run's history.
        }
      }),
    );
    return files.filter(isReportFile);
  }
}
