import type pg from 'pg';
import type { WebhookSecretRecords } from '../webhook-secret-records.js';

/** Webhook secrets as rows, read on every call so a rotation on any replica is seen at once. */
export class PgWebhookSecrets implements WebhookSecretRecords {
  constructor(private readonly pool: pg.Pool) {}

  async get(runbookId: string, hook: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ secret: string }>('SELECT secret FROM runwright.webhook_secrets WHERE runbook_id = $1 AND hook = $2', [runbookId, hook]);
    return rows[0]?.secret;
  }

  async set(runbookId: string, hook: string, secret: string): Promise<void> {
    await this.pool.query(
      'INSERT INTO runwright.webhook_secrets (runbook_id, hook, secret) VALUES ($1, $2, $3) ON CONFLICT (runbook_id, hook) DO UPDATE SET secret = EXCLUDED.secret',
      [runbookId, hook, JSON.stringify(secret)],
    );
  }

  async list(): Promise<{ runbookId: string; hook: string; secret: string }[]> {
    const { rows } = await this.pool.query<{ runbookId: string; hook: string; secret: string }>(
      'SELECT runbook_id AS "runbookId", hook, secret FROM runwright.webhook_secrets ORDER BY runbook_id COLLATE "C", hook COLLATE "C"',
    );
    return rows;
  }
}
