import type pg from 'pg';
import { advisoryLocks } from './locks.js';
import type { Migration } from './migrations.js';

/** What a start did to the schema: the versions it applied (none when another replica had). */
export interface MigrationReport {
  applied: number[];
  version: number;
}

/**
 * Brings the `runwright` schema up to the last migration. The whole check-and-apply runs under a
 * session advisory lock, so API replicas started at once take turns: the first applies what is
 * missing, the others find it done. A lock held by a process that dies is released with its
 * connection. A database already at a version this code does not know (a newer Runwright wrote
 * it) is refused rather than used by code that does not understand it.
 */
export async function migrate(pool: pg.Pool, list: readonly Migration[]): Promise<MigrationReport> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1::bigint)', [advisoryLocks.migrations]);
    try {
      // Looked up first: CREATE SCHEMA IF NOT EXISTS needs the right to create one even when it exists,
      // which a user given a schema made by a DBA does not have.
      const schema = await client.query("SELECT 1 FROM pg_namespace WHERE nspname = 'runwright'");
      if (schema.rowCount === 0) await client.query('CREATE SCHEMA runwright');
      await client.query(`CREATE TABLE IF NOT EXISTS runwright.schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const { rows } = await client.query<{ version: number }>('SELECT version FROM runwright.schema_migrations ORDER BY version');
      const done = new Set(rows.map((row) => row.version));
      const known = Math.max(0, ...list.map((m) => m.version));
      const newest = Math.max(0, ...done);
      if (newest > known) {
        throw new Error(`the state database is at schema version ${newest}, newer than this Runwright knows (${known}): run the Runwright release that wrote it, or a newer one`);
      }
      const applied: number[] = [];
      for (const migration of [...list].sort((a, b) => a.version - b.version)) {
        if (done.has(migration.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO runwright.schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw new Error(`state database migration ${migration.version} (${migration.name}) failed, nothing of it was kept: ${(error as Error).message}`);
        }
        applied.push(migration.version);
      }
      return { applied, version: Math.max(newest, ...applied) };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [advisoryLocks.migrations]);
    }
  } finally {
    client.release();
  }
}
