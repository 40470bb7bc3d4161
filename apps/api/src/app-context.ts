import type { Client, Connection } from '@temporalio/client';
import type { Settings } from '@runwright/runbook';
import type { Logger } from 'pino';
import type { ApiState } from './api-state.js';

/** What the routes stand on; built once by `main.ts`, or by a test. */
export interface AppContext extends ApiState {
  settings: Settings;
  log: Logger;
  temporal: { client: Client; connection: Connection; address: string };
}
