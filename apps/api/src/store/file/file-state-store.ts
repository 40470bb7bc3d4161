import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { StateStore } from '../state-store.js';
import { FileAlertSwitch } from './file-alert-switch.js';
import { FileAuditChain } from './file-audit-chain.js';
import { FileReports } from './file-reports.js';
import { FileRunbookVersions } from './file-runbook-versions.js';
import { FileScheduleOverrides } from './file-schedule-overrides.js';
import { FileTokenRecords } from './file-token-records.js';
import { FileWebhookSecrets } from './file-webhook-secrets.js';
import { FolderRunbookDocuments } from './folder-runbook-documents.js';
import { MemoryDeliveries } from './memory-deliveries.js';

/**
 * The embedded shape: runbooks are the YAML files of the runbooks folder, and the rest lives
 * under `<data folder>/api/` (readable by the API's user only) — `tokens.json` (hashes),
 * `audit.jsonl`, `alert-switch.json`, `webhook-secrets.json`, `versions/`, `reports/`,
 * `schedule-overrides.json`. Seen webhook deliveries are kept in memory. Good for one API
 * process; API replicas need a shared backend.
 */
export async function openFileStateStore(folders: { dataDir: string; runbooksDir: string }): Promise<StateStore> {
  const api = join(folders.dataDir, 'api');
  mkdirSync(api, { recursive: true, mode: 0o700 });
  return {
    tokens: new FileTokenRecords(join(api, 'tokens.json')),
    audit: new FileAuditChain(join(api, 'audit.jsonl')),
    runbooks: new FolderRunbookDocuments(folders.runbooksDir),
    versions: new FileRunbookVersions(join(api, 'versions')),
    webhookSecrets: new FileWebhookSecrets(join(api, 'webhook-secrets.json')),
    deliveries: new MemoryDeliveries(),
    alertSwitch: new FileAlertSwitch(join(api, 'alert-switch.json')),
    reports: new FileReports(join(api, 'reports')),
    scheduleOverrides: new FileScheduleOverrides(join(api, 'schedule-overrides.json')),
    close: async () => undefined,
  };
}
