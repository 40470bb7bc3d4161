import { resolve } from 'node:path';
import type { Command } from 'commander';
import { readSettings } from '@runwright/runbook';
import { openStateStore } from '../store/open-state-store.js';
import { databaseTarget } from '../store/postgres/connect.js';
import type { StateStore } from '../store/state-store.js';

/** The options of commands that open the API's state directly (offline, on the server). */
export interface OfflineStateOptions {
  databaseUrl?: string;
  files?: boolean;
  dataDir?: string;
  runbooksDir?: string;
}

/**
 * Adds the options that choose a state store: by default the one the API is configured with
 * (its environment), so the command reads what the API reads; `--database-url` or `--files`
 * with the folders choose another (restoring into the other backend).
 */
export function withOfflineState(command: Command): Command {
  return command
    .option('--database-url <url>', 'the state database (default: RUNWRIGHT_DATABASE_URL)')
    .option('--files', 'use the file backend (data and runbooks folders) even when RUNWRIGHT_DATABASE_URL is set')
    .option('--data-dir <dir>', 'data folder of the file backend (default: RUNWRIGHT_DATA_DIR or .data)')
    .option('--runbooks-dir <dir>', 'runbooks folder of the file backend (default: RUNWRIGHT_RUNBOOKS_DIR or runbooks)');
}

/** Opens the chosen store, with a description of it for messages (never a password). */
export async function openOfflineState(options: OfflineStateOptions): Promise<{ store: StateStore; description: string }> {
  const settings = readSettings(process.env);
  const databaseUrl = options.files ? '' : (options.databaseUrl ?? settings.RUNWRIGHT_DATABASE_URL);
  const dataDir = resolve(options.dataDir ?? settings.RUNWRIGHT_DATA_DIR);
  const runbooksDir = resolve(options.runbooksDir ?? settings.RUNWRIGHT_RUNBOOKS_DIR);
  const store = await openStateStore({ ...settings, RUNWRIGHT_DATABASE_URL: databaseUrl, RUNWRIGHT_DATA_DIR: dataDir, RUNWRIGHT_RUNBOOKS_DIR: runbooksDir });
  const description = databaseUrl ? `PostgreSQL ${databaseTarget(databaseUrl)}` : `files (data folder ${dataDir}, runbooks folder ${runbooksDir})`;
  return { store, description };
}
