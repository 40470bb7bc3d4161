import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { BackupCounts } from '../store/backup/backup-format.js';
import { readBackup, restoreBackup } from '../store/backup/restore-backup.js';
import { writeBackup } from '../store/backup/write-backup.js';
import { openOfflineState, withOfflineState, type OfflineStateOptions } from './offline-state.js';

/** Said after every backup and restore, so nobody believes the archive is everything. */
const notInArchive =
  'Not in the archive: the state key file (RUNWRIGHT_STATE_KEY_FILE, kept apart on purpose; back it up separately: without it no token or audit record verifies), ' +
  "Temporal's own state (runs, histories, schedules: back up Temporal's database), the worker's secrets file, and seen webhook delivery ids (minutes-long replay protection).";

function summary(counts: BackupCounts): string {
  return `${counts.token} token(s), ${counts.audit} audit record(s), ${counts.runbook} runbook(s), ${counts.archivedRunbook} archived runbook(s), ${counts.version} runbook version(s), ${counts.webhookSecret} webhook secret(s), ${counts.alertSwitch ? 'the alert switch' : 'no alert switch'}, ${counts.report} drill report(s), ${counts.scheduleOverride} schedule override(s)`;
}

async function backupCommand(file: string, options: OfflineStateOptions): Promise<number> {
  const { store, description } = await openOfflineState(options);
  try {
    const { text, counts } = await writeBackup(store, description);
    // Readable by its owner only: it holds webhook secrets and token hashes. `wx`: an existing archive is never overwritten.
    await writeFile(file, text, { mode: 0o600, flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
      throw new Error(error.code === 'EEXIST' ? `${file} exists already; choose a new name (an archive is never overwritten)` : `cannot write ${file}: ${error.message}`);
    });
    process.stderr.write(`backed up ${description} to ${file}: ${summary(counts)}.\n${notInArchive}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

async function restoreCommand(file: string, options: OfflineStateOptions): Promise<number> {
  const backup = readBackup(await readFile(file, 'utf8').catch((error: Error) => Promise.reject(new Error(`cannot read ${file}: ${error.message}`))));
  const { store, description } = await openOfflineState(options);
  try {
    const counts = await restoreBackup(store, backup);
    process.stderr.write(`restored ${file} (taken ${backup.header.createdAt} from ${backup.header.from}) into ${description}: ${summary(counts)}; every record read back as archived.\n${notInArchive}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

export function registerBackupCommands(program: Command): void {
  withOfflineState(program.command('backup'))
    .description("write the API's state into one archive file (offline: stop the API first, or what it writes meanwhile may be missing)")
    .argument('<archive>', 'the file to write (never overwritten)')
    .action(async (file: string, options: OfflineStateOptions) => {
      process.exitCode = await backupCommand(file, options);
    });
  withOfflineState(program.command('restore'))
    .description('restore an archive made by `runwright backup` into an empty state store, of either backend (offline: the API stopped)')
    .argument('<archive>', 'the archive file')
    .action(async (file: string, options: OfflineStateOptions) => {
      process.exitCode = await restoreCommand(file, options);
    });
}
