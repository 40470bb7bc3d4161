import { createHash } from 'node:crypto';
import type { RunbookVersionRecords, VersionEntry } from '../store/runbook-version-records.js';

export function versionHashOf(source: string): string {
  return `sha256:${createHash('sha256').update(source, 'utf8').digest('hex')}`;
}

/**
 * Every saved text of every runbook, kept by content hash in the state store. Versions changed
 * outside the API (git pull, an editor) are recorded when the API next looks, attributed to `disk`.
 */
export class RunbookVersions {
  constructor(private readonly records: RunbookVersionRecords) {}

  list(runbookId: string): Promise<VersionEntry[]> {
    return this.records.list(runbookId);
  }

  /** Records a text unless it is already the latest version. */
  record(runbookId: string, source: string, savedBy: string, planHash?: string): Promise<VersionEntry> {
    const entry: VersionEntry = { versionHash: versionHashOf(source), ...(planHash && { planHash }), savedAt: new Date().toISOString(), savedBy };
    return this.records.appendUnlessLatest(runbookId, entry, source);
  }

  source(runbookId: string, versionHash: string): Promise<string | undefined> {
    return this.records.source(runbookId, versionHash);
  }
}
