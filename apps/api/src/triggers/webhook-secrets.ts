import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * HMAC secrets of the generic webhooks, by `<runbookId>/<hook>`. Unlike API tokens they must be
 * kept readable to verify signatures, so the file is 0600 under the data folder and the
 * secrets never appear in runbooks, answers (except once, on creation) or logs.
 */
export class WebhookSecrets {
  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  }

  private read(): Record<string, string> {
    return existsSync(this.file) ? (JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, string>) : {};
  }

  get(runbookId: string, hook: string): string | undefined {
    return this.read()[`${runbookId}/${hook}`];
  }

  /** Creates or replaces the secret; the previous one stops verifying at once. */
  rotate(runbookId: string, hook: string): string {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const all = { ...this.read(), [`${runbookId}/${hook}`]: secret };
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, this.file);
    return secret;
  }
}
