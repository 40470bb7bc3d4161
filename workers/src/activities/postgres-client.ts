import { isIP } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { stepErrors, type Resolved } from '@runwright/runbook';
import pg from 'pg';
import type { PostgresConnection } from '@runwright/runbook';
import type { AddressPolicy } from '../config/address-policy.js';
import { outboundAddress } from './outbound.js';

/** A connection as the step wrote it, and the address the outbound policy allowed for it (none for a Unix socket). */
export type Connection = Resolved<PostgresConnection> & { hostaddr?: string };

/**
 * Checks where a postgres step connects against the worker's outbound policy, once; the pg
 * client, pg_dump and pg_restore then connect to that address (`hostaddr`, libpq's PGHOSTADDR),
 * while the host name still verifies the certificate and finds ~/.pgpass entries. A host that
 * is a folder is a Unix socket on the worker itself, not a network address.
 */
export async function checkedConnection(connection: Resolved<PostgresConnection>, policy: AddressPolicy): Promise<Connection> {
  if (connection.host.startsWith('/')) return connection;
  const { address } = await outboundAddress(policy, connection.host, connection.port);
  return { ...connection, hostaddr: address };
}

function sslOption(connection: Connection): pg.ClientConfig['ssl'] {
  if (connection.sslmode === 'disable') return false;
  // Connected by address, the certificate is still checked against the name the step gave.
  const servername = connection.hostaddr && !isIP(connection.host) ? { servername: connection.host } : {};
  return { rejectUnauthorized: connection.sslmode === 'verify-full', ...servername };
}

/** Maps what pg throws to the step errors a retry policy can act on. */
export function postgresFailure(error: unknown, where: string): ApplicationFailure {
  if (error instanceof ApplicationFailure) return error;
  const { code, message } = error as { code?: string; message?: string };
  if (code === '28P01' || code === '28000') {
    return ApplicationFailure.create({ type: stepErrors.authenticationFailed, message: `${where}: ${message}` });
  }
  if (code === '3D000') return ApplicationFailure.create({ type: stepErrors.invalidConfig, message: `connection.database: ${message}`, nonRetryable: true });
  if (code === '57014') return ApplicationFailure.create({ type: stepErrors.timedOut, message: `${where}: ${message}` });
  // Node socket errors (ECONNREFUSED…), SQLSTATE class 08 (connection) and 57P0x (shutting down).
  if (code && (/^E[A-Z]+$/.test(code) || /^08/.test(code) || /^57P0/.test(code))) {
    return ApplicationFailure.create({ type: stepErrors.unreachable, message: `${where}: ${/^E[A-Z]+$/.test(code) ? code : message}` });
  }
  if (!code && /timeout|terminated|connect/i.test(message ?? '')) {
    return ApplicationFailure.create({ type: stepErrors.unreachable, message: `${where}: ${message}` });
  }
  // A SQL error (syntax, constraint, permission): the statement will fail the same way again.
  return ApplicationFailure.create({ type: 'SqlError', message: `${where}: ${code ? `${code} ` : ''}${message}`, nonRetryable: Boolean(code && /^(42|22|23)/.test(code)) });
}

/** A connected client; the caller ends it. Cancellation ends it too, which aborts the query. */
export async function connectPostgres(connection: Connection, signal: AbortSignal, database = connection.database): Promise<pg.Client> {
  const client = new pg.Client({
    host: connection.hostaddr ?? connection.host,
    port: connection.port,
    user: connection.user,
    ...(connection.password !== undefined && { password: connection.password }),
    database,
    ssl: sslOption(connection),
    connectionTimeoutMillis: connection.connectTimeoutMs,
    application_name: 'runwright',
  });
  // An error on an idle client must not crash the worker; the next query reports it.
  client.on('error', () => undefined);
  const onAbort = () => void client.end().catch(() => undefined);
  signal.addEventListener('abort', onAbort, { once: true });
  client.on('end', () => signal.removeEventListener('abort', onAbort));
  try {
    await client.connect();
  } catch (error) {
    throw postgresFailure(error, `${connection.host}:${connection.port}/${database}`);
  }
  return client;
}

/** libpq variables for pg_dump and friends: the password travels in the environment, never in argv. */
export function libpqEnvironment(connection: Connection, database = connection.database): Record<string, string> {
  return {
    PGHOST: connection.host,
    ...(connection.hostaddr && { PGHOSTADDR: connection.hostaddr }),
    PGPORT: String(connection.port),
    PGUSER: connection.user,
    PGDATABASE: database,
    PGSSLMODE: connection.sslmode,
    PGCONNECT_TIMEOUT: String(Math.max(1, Math.ceil(connection.connectTimeoutMs / 1000))),
    PGAPPNAME: 'runwright',
    ...(connection.password !== undefined && { PGPASSWORD: connection.password }),
  };
}
