/**
 * HMAC secrets of the generic webhooks, by runbook and hook. Unlike API tokens they are kept
 * readable (a signature can only be checked with the secret itself), so a backend keeps them
 * where only the API can read them.
 */
export interface WebhookSecretRecords {
  get(runbookId: string, hook: string): Promise<string | undefined>;
  /** Creates or replaces a hook's secret; the one it replaces stops verifying at once. */
  set(runbookId: string, hook: string, secret: string): Promise<void>;
  /** Every hook's secret, by runbook and hook (for backups). */
  list(): Promise<{ runbookId: string; hook: string; secret: string }[]>;
}
