import type { SecretSource } from './secret-source.js';

export const secretEnvPrefix = 'RUNWRIGHT_SECRET_';

/** Secrets from environment variables: `{ secret: DB_PASSWORD }` reads `RUNWRIGHT_SECRET_DB_PASSWORD`. */
export function envSecretSource(env: Record<string, string | undefined> = process.env): SecretSource {
  return {
    lookup: async (name) => env[`${secretEnvPrefix}${name}`],
    describe: () => `environment variables ${secretEnvPrefix}<NAME>`,
  };
}
