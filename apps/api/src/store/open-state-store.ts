import { resolve } from 'node:path';
import type { Settings } from '@runwright/runbook';
import { openFileStateStore } from './file/file-state-store.js';
import type { StateStore } from './state-store.js';

/** The settings a store is chosen and opened by. */
export type StoreSettings = Pick<Settings, 'RUNWRIGHT_DATA_DIR' | 'RUNWRIGHT_RUNBOOKS_DIR'>;

/**
 * Opens the API's state as configured. Only the file backend exists yet; the PostgreSQL one
 * (the cluster shape) will be chosen here when `RUNWRIGHT_DATABASE_URL` is set, and run its
 * migrations before it returns — which is why opening is async.
 */
export async function openStateStore(settings: StoreSettings): Promise<StateStore> {
  return openFileStateStore({ dataDir: resolve(settings.RUNWRIGHT_DATA_DIR), runbooksDir: resolve(settings.RUNWRIGHT_RUNBOOKS_DIR) });
}
