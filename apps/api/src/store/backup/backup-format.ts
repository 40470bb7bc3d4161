import type { AuditRecord } from '@runwright/runbook';
import type { AlertSwitchState } from '../alert-switch-records.js';
import type { ArchivedRunbook, RunbookText } from '../runbook-documents.js';
import type { VersionEntry } from '../runbook-version-records.js';
import type { StoredOverride } from '../schedule-override-records.js';
import type { StoredToken } from '../token-records.js';

/**
 * A backup of the API's state is one text file of JSON lines: a header, then one line per record
 * in the order a restore writes them, then an end line counting the lines before it and hashing
 * them, so a truncated or edited archive is refused rather than half restored. JSON lines keep
 * it readable with `jq` and diffable; records that are JSON in the store are kept as they are.
 */
export const backupFormat = 'runwright-state-backup';
export const backupFormatVersion = 1;

export interface BackupHeader {
  format: typeof backupFormat;
  version: number;
  createdAt: string;
  /** The state it was taken from, for people (never a password). */
  from: string;
}

export type BackupLine =
  | { kind: 'token'; token: StoredToken }
  | { kind: 'audit'; record: AuditRecord }
  | ({ kind: 'runbook' } & RunbookText)
  | ({ kind: 'archivedRunbook' } & ArchivedRunbook)
  | { kind: 'version'; runbookId: string; entry: VersionEntry; source: string }
  | { kind: 'webhookSecret'; runbookId: string; hook: string; secret: string }
  | { kind: 'alertSwitch'; state: AlertSwitchState }
  | { kind: 'report'; runId: string; execution: string; report: unknown }
  | { kind: 'scheduleOverride'; record: StoredOverride };

export type BackupKind = BackupLine['kind'];

/** The string fields each kind must have; an archive line lacking one is refused with its line number. */
export const requiredFields: Record<BackupKind, { strings: string[]; objects: string[] }> = {
  token: { strings: [], objects: ['token'] },
  audit: { strings: [], objects: ['record'] },
  runbook: { strings: ['id', 'file', 'source'], objects: [] },
  archivedRunbook: { strings: ['id', 'archivedAs', 'source'], objects: [] },
  version: { strings: ['runbookId', 'source'], objects: ['entry'] },
  webhookSecret: { strings: ['runbookId', 'hook', 'secret'], objects: [] },
  alertSwitch: { strings: [], objects: ['state'] },
  report: { strings: ['runId', 'execution'], objects: ['report'] },
  scheduleOverride: { strings: [], objects: ['record'] },
};

/** What an archive holds, by kind: printed after a backup and a restore, and compared by the restore. */
export type BackupCounts = Record<BackupKind, number>;

export function countLines(lines: BackupLine[]): BackupCounts {
  const counts = Object.fromEntries(Object.keys(requiredFields).map((kind) => [kind, 0])) as BackupCounts;
  for (const line of lines) counts[line.kind]++;
  return counts;
}

export interface BackupEnd {
  kind: 'end';
  /** Lines before this one, the header included. */
  lines: number;
  /** sha256 (hex) of those lines, each followed by a newline. */
  sha256: string;
}
