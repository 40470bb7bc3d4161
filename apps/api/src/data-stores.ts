import { join, resolve } from 'node:path';
import type { Settings } from '@runwright/runbook';
import { AuditLog } from './audit/audit-log.js';
import { TokenStore } from './auth/token-store.js';
import { RunbookVersions } from './runbooks/runbook-versions.js';
import { FileOverrideRecords } from './schedules/override-records.js';
import { readInstallationOverrides, ScheduleOverrides } from './schedules/schedule-overrides.js';
import { AlertSwitch } from './triggers/alert-switch.js';
import { WebhookSecrets } from './triggers/webhook-secrets.js';

/**
 * The API's own files, under `<data folder>/api/`: token hashes, the audit log, the alert switch,
 * webhook secrets, runbook versions, schedule overrides (with the settings file's, read here).
 */
export function openDataStores(settings: Settings): {
  tokens: TokenStore;
  audit: AuditLog;
  alertSwitch: AlertSwitch;
  webhookSecrets: WebhookSecrets;
  versions: RunbookVersions;
  scheduleOverrides: ScheduleOverrides;
} {
  const folder = join(resolve(settings.RUNWRIGHT_DATA_DIR), 'api');
  return {
    tokens: new TokenStore(join(folder, 'tokens.json')),
    audit: new AuditLog(join(folder, 'audit.jsonl')),
    alertSwitch: new AlertSwitch(join(folder, 'alert-switch.json')),
    webhookSecrets: new WebhookSecrets(join(folder, 'webhook-secrets.json')),
    versions: new RunbookVersions(join(folder, 'versions')),
    scheduleOverrides: new ScheduleOverrides(new FileOverrideRecords(join(folder, 'schedule-overrides.json')), readInstallationOverrides(settings.RUNWRIGHT_SCHEDULE_OVERRIDES)),
  };
}
