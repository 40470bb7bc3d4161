import { readSettings, roleSchema, routes, type Role } from '@runwright/runbook';
import { TokenStore } from '../auth/token-store.js';
import { openStateStore } from '../store/open-state-store.js';
import { apiClient } from './api-client.js';
import type { Connection } from './connection.js';

/**
 * Creates a token through the API (audited, needs an admin token), or with `--offline` straight
 * into the API's state store — for the server's own machine when the API is not running.
 * Offline creation writes no audit record: the audit log has one writer, the API.
 */
export async function tokenCreateCommand(
  connection: Partial<Connection>,
  options: { user: string; role: string[]; description?: string; offline?: boolean; dataDir: string },
): Promise<number> {
  const roles = options.role.map((role) => roleSchema.parse(role)) as Role[];
  let created: { token: string; tokenId: string };
  if (options.offline) {
    // The store the API is configured with (so the same one it reads), with --data-dir for its folder.
    const store = await openStateStore({ ...readSettings(process.env), RUNWRIGHT_DATA_DIR: options.dataDir });
    try {
      created = await new TokenStore(store.tokens).create({ user: options.user, roles, description: options.description ?? '', createdBy: `cli:${process.env.USER ?? 'unknown'}` });
    } finally {
      await store.close();
    }
  } else {
    if (!connection.url || !connection.token) throw new Error('creating a token through the API needs --url and --token (or RUNWRIGHT_TOKEN); or use --offline on the server');
    created = await apiClient(connection.url, connection.token)(routes.createToken, {
      body: { user: options.user, roles, description: options.description ?? '' },
    });
  }
  process.stderr.write(`token ${created.tokenId} for ${options.user} (${roles.join(', ')}); it is shown this once:\n`);
  process.stdout.write(`${created.token}\n`);
  return 0;
}
