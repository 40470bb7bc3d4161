import pg from 'pg';

/**
 * Where a database URL points, for messages and logs: host, port and database, never the user's
 * password. A URL that cannot be read says so without echoing it.
 */
export function databaseTarget(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'an unreadable RUNWRIGHT_DATABASE_URL (expected postgres://user:password@host:5432/database)';
  }
  // A Unix socket is given as `?host=/run/postgresql`, with the URL's host left empty.
  const host = parsed.hostname || parsed.searchParams.get('host') || 'localhost';
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || decodeURIComponent(parsed.username) || '(default database)';
  return `${host}:${parsed.port || '5432'}/${database}`;
}

/** A pool size from its setting: a whole number of at least 1. */
export function poolSize(setting: string): number {
  const size = Number(setting);
  if (!Number.isInteger(size) || size < 1) throw new Error(`RUNWRIGHT_DATABASE_POOL_SIZE must be a whole number of at least 1, not "${setting}"`);
  return size;
}

/**
 * A connection pool to the state database, proven reachable: an unreachable host, a refused
 * password or a missing database is an error at start naming the host and database (the
 * password never appears, even where a driver message might quote the URL).
 */
export async function openPool(url: string, size: number): Promise<pg.Pool> {
  const pool = new pg.Pool({
    connectionString: url,
    max: size,
    // Without it a host that drops packets would hang the start (and every request) for ever.
    connectionTimeoutMillis: 10_000,
    // A replica frozen in the middle of an append (its connection still open) would hold the audit
    // lock for ever; the server ends such a transaction after a minute, and the others go on.
    idle_in_transaction_session_timeout: 60_000,
    application_name: 'runwright-api',
  });
  // An idle connection the server closed (a restart, a failover) is an event, not a crash: the
  // pool drops it and the next query opens another.
  pool.on('error', () => undefined);
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new Error(`cannot open the state database at ${databaseTarget(url)} (RUNWRIGHT_DATABASE_URL): ${scrub((error as Error).message, url)}`);
  }
  return pool;
}

/** A driver message with the URL's password, should it appear, blotted out. */
function scrub(message: string, url: string): string {
  let password = '';
  try {
    password = decodeURIComponent(new URL(url).password);
  } catch {
    return message.split(url).join('<RUNWRIGHT_DATABASE_URL>');
  }
  return password ? message.split(password).join('***') : message;
}
