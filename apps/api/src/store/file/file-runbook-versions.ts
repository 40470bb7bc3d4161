import { appendFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunbookVersionRecords, VersionEntry } from '../runbook-version-records.js';
import { WorkQueue } from './work-queue.js';

const idPattern = /^[a-z0-9][a-z0-9-]*$/;

function missing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/**
 * Versions under `<folder>/<runbook id>/`: each text in a file named by its hash, and an
 * append-only `index.jsonl` of the saves.
 */
export class FileRunbookVersions implements RunbookVersionRecords {
  private readonly queue = new WorkQueue();

  constructor(private readonly folder: string) {}

  /** A runbook's folder; none for an id that could not be a folder's name (`..`, a slash). */
  private dir(id: string): string | undefined {
    return idPattern.test(id) ? join(this.folder, id) : undefined;
  }

  async list(runbookId: string): Promise<VersionEntry[]> {
    const dir = this.dir(runbookId);
    if (!dir) return [];
    let text: string;
    try {
      text = await readFile(join(dir, 'index.jsonl'), 'utf8');
    } catch (error) {
      if (missing(error)) return [];
      throw error;
    }
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as VersionEntry);
  }

  appendUnlessLatest(runbookId: string, entry: VersionEntry, source: string): Promise<VersionEntry> {
    const dir = this.dir(runbookId);
    const hex = hexOf(entry.versionHash);
    if (!dir || !hex) return Promise.reject(new Error(`cannot keep version ${entry.versionHash} of runbook "${runbookId}"`));
    return this.queue.run(runbookId, async () => {
      const latest = (await this.list(runbookId)).at(-1);
      if (latest?.versionHash === entry.versionHash) return latest;
      await mkdir(dir, { recursive: true, mode: 0o700 });
      // The same text saved again later keeps its one file; `wx` leaves an existing one alone.
      await writeFile(join(dir, `${hex}.yaml`), source, { mode: 0o600, flag: 'wx' }).catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      });
      await appendFile(join(dir, 'index.jsonl'), `${JSON.stringify(entry)}\n`, { mode: 0o600 });
      return entry;
    });
  }

  async runbookIds(): Promise<string[]> {
    let entries;
    try {
      entries = await readdir(this.folder, { withFileTypes: true });
    } catch (error) {
      if (missing(error)) return [];
      throw error;
    }
    const ids = entries.filter((entry) => entry.isDirectory() && idPattern.test(entry.name)).map((entry) => entry.name);
    const withVersions = await Promise.all(ids.map(async (id) => ((await this.list(id)).length > 0 ? [id] : [])));
    return withVersions.flat().sort();
  }

  async source(runbookId: string, versionHash: string): Promise<string | undefined> {
    const dir = this.dir(runbookId);
    const hex = hexOf(versionHash);
    if (!dir || !hex) return undefined;
    try {
      return await readFile(join(dir, `${hex}.yaml`), 'utf8');
    } catch (error) {
      if (missing(error)) return undefined;
      throw error;
    }
  }
}

/** The hex digits of `sha256:<hex>`: they name the text's file, so nothing else may. */
function hexOf(versionHash: string): string | undefined {
  return /^sha256:([0-9a-f]{64})$/.exec(versionHash)?.[1];
}
