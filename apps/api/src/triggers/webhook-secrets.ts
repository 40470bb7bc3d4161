import { randomBytes } from 'node:crypto';
import type { WebhookSecretRecords } from '../store/webhook-secret-records.js';

/**
 * HMAC secrets of the generic webhooks, made here and kept by the state store. They never appear
 * in runbooks, answers (except once, on creation) or logs.
 */
export class WebhookSecrets {
  constructor(private readonly records: WebhookSecretRecords) {}

  get(runbookId: string, hook: string): Promise<string | undefined> {
    return this.records.get(runbookId, hook);
  }

  /** Creates or replaces the secret; the previous one stops verifying at once. */
  async rotate(runbookId: string, hook: string): Promise<string> {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    await this.records.set(runbookId, hook, secret);
    return secret;
  }
}
