import type { AlertSwitchRecords } from './alert-switch-records.js';
import type { AuditChain } from './audit-chain.js';
import type { DeliveryRecords } from './delivery-records.js';
import type { ReportRecords } from './report-records.js';
import type { RunbookDocuments } from './runbook-documents.js';
import type { RunbookVersionRecords } from './runbook-version-records.js';
import type { ScheduleOverrideRecords } from './schedule-override-records.js';
import type { TokenRecords } from './token-records.js';
import type { WebhookSecretRecords } from './webhook-secret-records.js';

/**
 * Everything the API keeps between requests, behind one interface so that a backend can be
 * chosen by configuration (`openStateStore`): files under the data folder for one machine, a
 * database shared by API replicas for a cluster. Every method is async, none hands out a file
 * path, and a backend only stores and loads: rules that are the same for every backend (hashing
 * tokens, chaining audit records, loading runbooks) live in the classes the routes use
 * (`api-state.ts`). Schedules and their pause notes are not here: Temporal keeps them; the
 * overrides an admin sets on them are.
 */
export interface StateStore {
  tokens: TokenRecords;
  audit: AuditChain;
  runbooks: RunbookDocuments;
  versions: RunbookVersionRecords;
  webhookSecrets: WebhookSecretRecords;
  deliveries: DeliveryRecords;
  alertSwitch: AlertSwitchRecords;
  reports: ReportRecords;
  scheduleOverrides: ScheduleOverrideRecords;
  /** Lets go of what the backend holds open (a database's connections); the file backend holds nothing. */
  close(): Promise<void>;
}
