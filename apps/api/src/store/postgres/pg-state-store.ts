import type { StateStore } from '../state-store.js';
import { databaseTarget, openPool } from './connect.js';
import { migrate } from './migrate.js';
import { migrations } from './migrations.js';
import { PgAlertSwitch } from './pg-alert-switch.js';
import { PgAuditChain } from './pg-audit-chain.js';
import { PgDeliveries } from './pg-deliveries.js';
import { PgReports } from './pg-reports.js';
import { PgRunbookDocuments } from './pg-runbook-documents.js';
import { PgRunbookVersions } from './pg-runbook-versions.js';
import { PgScheduleOverrides } from './pg-schedule-overrides.js';
import { PgTokenRecords } from './pg-token-records.js';
import { PgWebhookSecrets } from './pg-webhook-secrets.js';

/**
 * The cluster shape: all of the API's state in PostgreSQL, in the `runwright` schema, so every
 * API replica over the same database reads what any of them wrote, at once. Opening proves the
 * database reachable and brings its schema up to date (`migrate.ts`) before anything is served.
 */
export async function openPostgresStateStore(options: { url: string; poolSize: number }): Promise<StateStore> {
  const pool = await openPool(options.url, options.poolSize);
  try {
    await migrate(pool, migrations);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  return {
    tokens: new PgTokenRecords(pool),
    audit: new PgAuditChain(pool),
    runbooks: new PgRunbookDocuments(pool, `the runwright.runbooks table of ${databaseTarget(options.url)}`),
    versions: new PgRunbookVersions(pool),
    webhookSecrets: new PgWebhookSecrets(pool),
    deliveries: new PgDeliveries(pool),
    alertSwitch: new PgAlertSwitch(pool),
    reports: new PgReports(pool),
    scheduleOverrides: new PgScheduleOverrides(pool),
    close: () => pool.end(),
  };
}
