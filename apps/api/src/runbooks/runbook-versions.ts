import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface VersionEntry {
  /** sha256 of the source text: two saves of the same text are one version. */
  versionHash: string;
  planHash?: string;
  savedAt: string;
  savedBy: string;
}

export function versionHashOf(source: string): string {
  return `sha256:${createHash('sha256').update(source, 'utf8').digest('hex')}`;
}

/**
 * Every saved text of every runbook, kept by content hash under the data folder, with an
 * append-only index per runbook. Versions edited on disk (git pull, an editor) are recorded
 * when the API next looks, attributed to `disk`.
 */
export class RunbookVersions {
  constructor(readonly folder: string) {}

  private dir(runbookId: string): string {
    const dir = join(this.folder, runbookId);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return dir;
  }

  list(runbookId: string): VersionEntry[] {
    const index = join(this.folder, runbookId, 'index.jsonl');
    if (!existsSync(index)) return [];
    return readFileSync(index, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as VersionEntry);
  }

  /** Records a text unless it is already the latest version. */
  async record(runbookId: string, source: string, savedBy: string, planHash?: string): Promise<VersionEntry> {
    const versionHash = versionHashOf(source);
    const latest = this.list(runbookId).at(-1);
    if (latest?.versionHash === versionHash) return latest;
    const dir = this.dir(runbookId);
    const file = join(dir, `${versionHash.slice('sha256:'.length)}.yaml`);
    if (!existsSync(file)) await writeFile(file, source, { mode: 0o600 });
    const entry: VersionEntry = { versionHash, ...(planHash && { planHash }), savedAt: new Date().toISOString(), savedBy };
    await appendFile(join(dir, 'index.jsonl'), `${JSON.stringify(entry)}\n`, { mode: 0o600 });
    return entry;
  }

  async source(runbookId: string, versionHash: string): Promise<string | undefined> {
    const hex = /^sha256:([0-9a-f]{64})$/.exec(versionHash)?.[1];
    if (!hex) return undefined;
    const file = join(this.folder, runbookId, `${hex}.yaml`);
    return existsSync(file) ? readFile(file, 'utf8') : undefined;
  }
}
