import { existsSync, readFileSync } from 'node:fs';
import type { WebhookSecretRecords } from '../webhook-secret-records.js';
import { replaceFileSync } from './replace-file.js';

/**
 * Webhook secrets in one JSON file, `{ "<runbookId>/<hook>": "whsec_…" }`, mode 0600 under the
 * data folder; read on every call, so a rotation is seen at once.
 */
export class FileWebhookSecrets implements WebhookSecretRecords {
  constructor(private readonly file: string) {}

  private read(): Record<string, string> {
    return existsSync(this.file) ? (JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, string>) : {};
  }

  async get(runbookId: string, hook: string): Promise<string | undefined> {
    return this.read()[`${runbookId}/${hook}`];
  }

  async list(): Promise<{ runbookId: string; hook: string; secret: string }[]> {
    // Runbook ids hold no slash, so the first one ends the id.
    return Object.entries(this.read()).map(([key, secret]) => ({ runbookId: key.slice(0, key.indexOf('/')), hook: key.slice(key.indexOf('/') + 1), secret }));
  }

  async set(runbookId: string, hook: string, secret: string): Promise<void> {
    replaceFileSync(this.file, `${JSON.stringify({ ...this.read(), [`${runbookId}/${hook}`]: secret }, null, 2)}\n`);
  }
}
