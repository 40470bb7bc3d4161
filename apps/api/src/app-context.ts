import type { Client, Connection } from '@temporalio/client';
import type { Settings } from '@runwright/runbook';
import type { Logger } from 'pino';
import type { AuditLog } from './audit/audit-log.js';
import type { TokenStore } from './auth/token-store.js';
import type { RunbookStore } from './runbooks/runbook-store.js';
import type { RunbookVersions } from './runbooks/runbook-versions.js';
import type { ScheduleOverrides } from './schedules/schedule-overrides.js';
import type { AlertSwitch } from './triggers/alert-switch.js';
import type { WebhookSecrets } from './triggers/webhook-secrets.js';

/** What the routes stand on; built once by `main.ts`, or by a test. */
export interface AppContext {
  settings: Settings;
  log: Logger;
  runbooks: RunbookStore;
  temporal: { client: Client; connection: Connection; address: string };
  tokens: TokenStore;
  audit: AuditLog;
  alertSwitch: AlertSwitch;
  webhookSecrets: WebhookSecrets;
  versions: RunbookVersions;
  scheduleOverrides: ScheduleOverrides;
}
