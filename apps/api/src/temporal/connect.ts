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

/** Temporal's `IndexedValueType` numbers for the attribute types the run protocol uses. */
const indexedValueTypes = { Keyword: 2, Bool: 5 } as const;

/**
 * Registers the run search attributes on the namespace if they are missing, so listing runs
 * through visibility works on a fresh cluster as well as on the dev server.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string, log: Logger): Promise<void> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const existing = new Set(Object.keys(customAttributes ?? {}));
  const missing = Object.values(searchAttributes).filter((a) => !existing.has(a.name));
  if (missing.length === 0) return;
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((a) => [a.name, indexedValueTypes[a.type]])),
  });
  log.info({ added: missing.map((a) => a.name) }, 'registered search attributes');
}
