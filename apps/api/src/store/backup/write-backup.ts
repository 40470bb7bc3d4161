import { createHash } from 'node:crypto';
import type { StateStore } from '../state-store.js';
import { backupFormat, backupFormatVersion, countLines, type BackupCounts, type BackupEnd, type BackupHeader, type BackupLine } from './backup-format.js';

/** Every record of the store, in the order a restore writes them back. */
export async function backupLines(store: StateStore): Promise<BackupLine[]> {
  const lines: BackupLine[] = [];
  for (const token of await store.tokens.list()) lines.push({ kind: 'token', token });
  for (const record of await store.audit.read()) lines.push({ kind: 'audit', record });
  for (const text of await store.runbooks.list()) lines.push({ kind: 'runbook', ...text });
  for (const archived of await store.runbooks.listArchived()) lines.push({ kind: 'archivedRunbook', ...archived });
  for (const runbookId of await store.versions.runbookIds()) {
    for (const entry of await store.versions.list(runbookId)) {
      const source = await store.versions.source(runbookId, entry.versionHash);
      if (source === undefined) throw new Error(`runbook "${runbookId}" lists version ${entry.versionHash}, whose text is missing from the store`);
      lines.push({ kind: 'version', runbookId, entry, source });
    }
  }
  for (const secret of await store.webhookSecrets.list()) lines.push({ kind: 'webhookSecret', ...secret });
  const alertSwitch = await store.alertSwitch.get();
  if (alertSwitch) lines.push({ kind: 'alertSwitch', state: alertSwitch });
  for (const report of await store.reports.list()) lines.push({ kind: 'report', ...report });
  for (const record of await store.scheduleOverrides.list()) lines.push({ kind: 'scheduleOverride', record });
  return lines;
}

/**
 * The store as one archive text (see backup-format.ts). Read part by part, it is a consistent
 * copy when nothing writes meanwhile: take it with the API stopped (or accept that what is
 * written during the backup may be missing from it).
 */
export async function writeBackup(store: StateStore, from: string, now = new Date()): Promise<{ text: string; counts: BackupCounts }> {
  const lines = await backupLines(store);
  const header: BackupHeader = { format: backupFormat, version: backupFormatVersion, createdAt: now.toISOString(), from };
  const body = [header, ...lines].map((line) => `${JSON.stringify(line)}\n`).join('');
  const end: BackupEnd = { kind: 'end', lines: lines.length + 1, sha256: createHash('sha256').update(body, 'utf8').digest('hex') };
  return { text: `${body}${JSON.stringify(end)}\n`, counts: countLines(lines) };
}
