import type { Client, Connection } from '@temporalio/client';
import type { Settings } from '@runwright/runbook';
import type { Logger } from 'pino';
import type { RunbookStore } from './runbooks/runbook-store.js';

/** What the routes stand on; built once by `main.ts`, or by a test. */
export interface AppContext {
  settings: Settings;
  log: Logger;
  runbooks: RunbookStore;
  temporal: { client: Client; connection: Connection; address: string };
}
