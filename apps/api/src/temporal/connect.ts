import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { searchAttributes, temporalConnectionOptions, type Settings } from '@runwright/runbook';
import type { Logger } from 'pino';

export async function connectTemporal(settings: Settings): Promise<{ client: Client; connection: Connection; address: string }> {
  const options = temporalConnectionOptions(settings, (path) => readFileSync(path));
  const connection = await Connection.connect(options);
  const client = new Client({ connection, namespace: settings.TEMPORAL_NAMESPACE });
  return { client, connection, address: options.address };
}

/**
 * Registers the run search attributes on the namespace if they are missing, so listing runs
 * through visibility works on a fresh cluster as well as on the dev server.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string, log: Logger): Promise<void> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const existing = new Set(Object.keys(customAttributes ?? {}));
  const missing = Object.values(searchAttributes).filter((a) => !existing.has(a.name));
  if (missing.length === 0) return;
  // 2 is INDEXED_VALUE_TYPE_KEYWORD in Temporal's API.
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((a) => [a.name, 2])),
  });
  log.info({ added: missing.map((a) => a.name) }, 'registered search attributes');
}
