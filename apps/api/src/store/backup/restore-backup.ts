import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { canonicalJson, type DrillReport } from '@runwright/runbook';
import type { StateStore } from '../state-store.js';
import { backupFormat, backupFormatVersion, countLines, requiredFields, type BackupCounts, type BackupHeader, type BackupKind, type BackupLine } from './backup-format.js';
import { backupLines } from './write-backup.js';

export interface ReadBackup {
  header: BackupHeader;
  lines: BackupLine[];
  counts: BackupCounts;
}

/** Reads an archive, refusing one that is cut short, changed, of another format or version, or with a line it cannot read (named by number). */
export function readBackup(text: string): ReadBackup {
  const raw = text.split('\n');
  if (raw.at(-1) === '') raw.pop();
  const parsed = raw.map((line, index) => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new Error(`line ${index + 1} of the archive is not JSON`);
    }
  });
  const header = parsed[0] as Partial<BackupHeader> | undefined;
  if (header?.format !== backupFormat) throw new Error(`not a Runwright state backup (its first line should say "format": "${backupFormat}")`);
  if (header.version !== backupFormatVersion) throw new Error(`the archive has format version ${String(header.version)}; this Runwright reads version ${backupFormatVersion}`);
  const end = parsed.at(-1);
  if (end?.kind !== 'end') throw new Error('the archive has no end line: it was cut short');
  if (end.lines !== raw.length - 1) throw new Error(`the archive's end line counts ${String(end.lines)} lines before it, but there are ${raw.length - 1}: lines were added or removed`);
  const hash = createHash('sha256').update(raw.slice(0, -1).map((line) => `${line}\n`).join(''), 'utf8').digest('hex');
  if (hash !== end.sha256) throw new Error('the archive was changed after it was written (its lines do not hash to what its end line says)');

  const lines = parsed.slice(1, -1).map((line, index) => {
    const at = `line ${index + 2} of the archive`;
    const fields = requiredFields[line.kind as BackupKind];
    if (!fields) throw new Error(`${at} is of a kind this Runwright does not know: "${String(line.kind)}"`);
    for (const name of fields.strings) if (typeof line[name] !== 'string') throw new Error(`${at} (${String(line.kind)}) lacks the text field "${name}"`);
    for (const name of fields.objects) if (typeof line[name] !== 'object' || line[name] === null) throw new Error(`${at} (${String(line.kind)}) lacks the field "${name}"`);
    return line as unknown as BackupLine;
  });
  return { header: header as BackupHeader, lines, counts: countLines(lines) };
}

/** What the store holds, by kind: a restore goes only into a store that holds nothing. */
export async function heldCounts(store: StateStore): Promise<BackupCounts> {
  return countLines(await backupLines(store));
}

function describe(counts: BackupCounts): string {
  return (
    Object.entries(counts)
      .filter(([, n]) => n > 0)
      .map(([kind, n]) => `${n} ${kind}`)
      .join(', ') || 'nothing'
  );
}

/**
 * Writes an archive into an empty store, record by record through the store's own interface (so
 * into either backend), then reads everything back and compares: the restore succeeds only if
 * the store now holds exactly what the archive does, the audit chain record for record.
 */
export async function restoreBackup(store: StateStore, backup: ReadBackup): Promise<BackupCounts> {
  const held = await heldCounts(store);
  if (Object.values(held).some((n) => n > 0)) {
    throw new Error(`the target state is not empty (it holds ${describe(held)}): restore into an empty data folder and runbooks folder, or an empty database`);
  }
  for (const line of backup.lines) {
    switch (line.kind) {
      case 'token':
        await store.tokens.add(line.token);
        break;
      case 'audit':
        await store.audit.append((last) => {
          if ((last?.seq ?? 0) !== line.record.seq - 1) throw new Error(`audit record ${line.record.seq} does not follow record ${last?.seq ?? 0} in the archive`);
          return line.record;
        });
        break;
      case 'runbook':
        if ((await store.runbooks.create(line.id, line.source)) === undefined) throw new Error(`the archive holds runbook "${line.id}" twice`);
        break;
      case 'archivedRunbook':
        await store.runbooks.keepArchived({ id: line.id, archivedAs: line.archivedAs, source: line.source });
        break;
      case 'version':
        await store.versions.appendUnlessLatest(line.runbookId, line.entry, line.source);
        break;
      case 'webhookSecret':
        await store.webhookSecrets.set(line.runbookId, line.hook, line.secret);
        break;
      case 'alertSwitch':
        await store.alertSwitch.set(line.state);
        break;
      case 'report':
        // Stored as the report it was; the report cache checks its shape when it serves it.
        await store.reports.put(line.runId, line.execution, line.report as DrillReport);
        break;
      case 'scheduleOverride':
        await store.scheduleOverrides.put(line.record);
        break;
    }
  }
  await verifyRestored(store, backup);
  return backup.counts;
}

/** The store must now read back as the archive, line for line (a runbook's file name aside: a backend names new files itself). */
async function verifyRestored(store: StateStore, backup: ReadBackup): Promise<void> {
  const comparable = (line: BackupLine) => (line.kind === 'runbook' ? { ...line, file: '' } : line);
  const restored = (await backupLines(store)).map(comparable);
  const expected = backup.lines.map(comparable);
  const key = (line: BackupLine) => canonicalJson(line);
  // Order within a kind may differ between backends (file names against insertion), so compare as sorted lists, kind by kind.
  for (const kind of Object.keys(requiredFields) as BackupKind[]) {
    const ours = restored.filter((l) => l.kind === kind).map(key).sort();
    const theirs = expected.filter((l) => l.kind === kind).map(key).sort();
    if (!isDeepStrictEqual(ours, theirs)) throw new Error(`after the restore the store's ${kind} records differ from the archive's (${ours.length} against ${theirs.length})`);
  }
  const chain = restored.filter((l) => l.kind === 'audit');
  const archived = expected.filter((l) => l.kind === 'audit');
  if (!isDeepStrictEqual(chain, archived)) throw new Error('after the restore the audit chain differs from the archive');
}
