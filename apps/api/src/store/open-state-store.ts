import { resolve } from 'node:path';
import type { Settings } from '@runwright/runbook';
import { openFileStateStore } from './file/file-state-store.js';
import { poolSize } from './postgres/connect.js';
import { openPostgresStateStore } from './postgres/pg-state-store.js';
import type { StateStore } from './state-store.js';

/** The settings a store is chosen and opened by; the database ones may be left out (files). */
export type StoreSettings = Pick<Settings, 'RUNWRIGHT_DATA_DIR' | 'RUNWRIGHT_RUNBOOKS_DIR'> & Partial<Pick<Settings, 'RUNWRIGHT_DATABASE_URL' | 'RUNWRIGHT_DATABASE_POOL_SIZE'>>;

/**
 * Opens the API's state as configured: PostgreSQL when `RUNWRIGHT_DATABASE_URL` is set (the
 * cluster shape; its migrations run before this returns), otherwise files under the data folder
 * and the runbooks folder (the embedded shape).
 */
export async function openStateStore(settings: StoreSettings): Promise<StateStore> {
  if (settings.RUNWRIGHT_DATABASE_URL) {
    return openPostgresStateStore({ url: settings.RUNWRIGHT_DATABASE_URL, poolSize: poolSize(settings.RUNWRIGHT_DATABASE_POOL_SIZE || '10') });
  }
  return openFileStateStore({ dataDir: resolve(settings.RUNWRIGHT_DATA_DIR), runbooksDir: resolve(settings.RUNWRIGHT_RUNBOOKS_DIR) });
}
