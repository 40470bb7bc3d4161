import { z } from 'zod';
import { secretOr } from './secret-ref.js';

/**
 * How postgres kinds reach a server. The password is normally `{ secret: NAME }`; it reaches
 * client programs through PGPASSWORD, never argv (which `ps` shows to everyone).
 */
export const postgresConnectionSchema = z.strictObject({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65_535).default(5432),
  user: z.string().min(1),
  password: secretOr(z.string()).optional(),
  database: z.string().min(1).default('postgres'),
  /** As libpq names it; `require` encrypts without checking the certificate, `verify-full` checks it. */
  sslmode: z.enum(['disable', 'require', 'verify-full']).default('disable'),
  connectTimeoutMs: z.number().int().positive().default(10_000),
});
export type PostgresConnection = z.output<typeof postgresConnectionSchema>;
