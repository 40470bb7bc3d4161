import type { Settings } from '@runwright/runbook';
import { AuditLog } from './audit/audit-log.js';
import { TokenStore } from './auth/token-store.js';
import { ReportCache } from './reports/report-cache.js';
import { RunbookStore } from './runbooks/runbook-store.js';
import { RunbookVersions } from './runbooks/runbook-versions.js';
import { readInstallationOverrides } from './schedules/installation-overrides.js';
import { ScheduleOverrides } from './schedules/schedule-overrides.js';
import type { StateStore } from './store/state-store.js';
import { AlertSwitch } from './triggers/alert-switch.js';
import { SeenDeliveries } from './triggers/seen-deliveries.js';
import { WebhookSecrets } from './triggers/webhook-secrets.js';

/** What the routes keep between requests: each class holds the rules of its part and stands on the state store for the rest. */
export interface ApiState {
  tokens: TokenStore;
  audit: AuditLog;
  runbooks: RunbookStore;
  versions: RunbookVersions;
  webhookSecrets: WebhookSecrets;
  deliveries: SeenDeliveries;
  alertSwitch: AlertSwitch;
  reportCache: ReportCache;
  scheduleOverrides: ScheduleOverrides;
}

/** `settings` names the installation's schedule overrides file, read here (a bad one throws, naming its problems). */
export function apiState(store: StateStore, settings: Pick<Settings, 'RUNWRIGHT_SCHEDULE_OVERRIDES'>): ApiState {
  return {
    tokens: new TokenStore(store.tokens),
    audit: new AuditLog(store.audit),
    runbooks: new RunbookStore(store.runbooks),
    versions: new RunbookVersions(store.versions),
    webhookSecrets: new WebhookSecrets(store.webhookSecrets),
    deliveries: new SeenDeliveries(store.deliveries),
    alertSwitch: new AlertSwitch(store.alertSwitch),
    reportCache: new ReportCache(store.reports),
    scheduleOverrides: new ScheduleOverrides(store.scheduleOverrides, readInstallationOverrides(settings.RUNWRIGHT_SCHEDULE_OVERRIDES)),
  };
}
