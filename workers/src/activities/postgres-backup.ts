import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { stepErrors, type StepOutput } from '@runwright/runbook';
import type pg from 'pg';
import type { ActivityTools, ResolvedInput } from './activity-tools.js';
import { checkAssertion } from './assertion.js';
import { invalidConfig } from './failures.js';
import { checkedConnection, connectPostgres, libpqEnvironment, postgresFailure, type Connection } from './postgres-client.js';
import { runProgram } from './run-program.js';

const heartbeatEveryMs = 2_000;

/** Row counts of every user table, by qualified name, as the given transaction sees them. */
async function countRows(client: pg.Client): Promise<Record<string, number>> {
  const tables = await client.query<{ name: string }>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
     ORDER BY 1`,
  );
  const counts: Record<string, number> = {};
  // Names come from format('%I…'), so they are quoted identifiers, safe to place in the text.
  for (const { name } of tables.rows) counts[name] = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${name}`)).rows[0]!.n);
  return counts;
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function verificationFailed(message: string, details?: unknown): ApplicationFailure {
  return ApplicationFailure.create({ type: stepErrors.backupVerificationFailed, message, details: details === undefined ? [] : [details] });
}

/**
 * pg_dump → sha256 → restore into a scratch database → compare with the dump's own snapshot
 * → only then the final name and retention. See the kind's definition for the contract.
 */
export async function postgresBackup(input: ResolvedInput<'postgres.backup'>, tools: ActivityTools): Promise<StepOutput<'postgres.backup'>> {
  const { config } = input;
  // Checked once; the client, pg_dump and pg_restore all connect to the address allowed.
  const connection: Connection = await checkedConnection(config.connection, tools.config.addresses);
  const context = Context.current();
  const signal = context.cancellationSignal;
  const started = Date.now();
  const prefix = config.prefix ?? connection.database.replace(/[^A-Za-z0-9._-]/g, '_');
  const bin = (name: string) => (config.binDir ? join(config.binDir, name) : name);
  const where = `${connection.host}:${connection.port}/${connection.database}`;
  try {
    await mkdir(config.targetDir, { recursive: true });
  } catch (error) {
    throw invalidConfig('targetDir', `cannot create ${config.targetDir}: ${(error as NodeJS.ErrnoException).code}`);
  }
  const name = `${prefix}-${new Date().toISOString().replace(/[:.]/g, '-')}.dump`;
  const final = join(config.targetDir, name);
  const partial = `${final}.partial`;
  let phase = 'dumping';
  const heartbeat = setInterval(() => context.heartbeat({ phase }), heartbeatEveryMs);

  try {
    // The dump and the reference counts come from one exported snapshot, so they agree even while the database takes writes.
    let tables: Record<string, number> = {};
    const source = await connectPostgres(connection, signal);
    try {
      await source.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const snapshot = (await source.query<{ id: string }>('SELECT pg_export_snapshot() AS id')).rows[0]!.id;
      if (config.verify.rowCounts) tables = await countRows(source);
      const dump = await runProgram(bin('pg_dump'), ['--format=custom', `--snapshot=${snapshot}`, `--file=${partial}`], {
        env: libpqEnvironment(connection),
        signal,
        timeoutMs: config.timeoutMs,
        field: 'binDir',
      });
      if (dump.exitCode !== 0) {
        await rm(partial, { force: true });
        throw ApplicationFailure.create({ type: stepErrors.unexpectedExitCode, message: `pg_dump of ${where} exited with ${dump.exitCode}: ${dump.stderr.trim().split('\n').pop()}` });
      }
      await source.query('COMMIT');
    } catch (error) {
      throw postgresFailure(error, where);
    } finally {
      await source.end().catch(() => undefined);
    }

    const { size } = await stat(partial);
    const sha256 = await sha256Of(partial);

    phase = 'verifying';
    try {
      await verifyByRestore(partial, connection, config, tables, bin, signal);
    } catch (error) {
      // Never leave a dump that failed its proof where it could be taken for a good one.
      await rename(partial, `${final}.failed`).catch(() => undefined);
      throw error;
    }
    await rename(partial, final);
    await writeFile(`${final}.sha256`, `${sha256}  ${name}\n`);

    phase = 'retention';
    const removed = config.keep ? await applyRetention(config.targetDir, prefix, config.keep) : [];
    return { file: final, sizeBytes: size, sha256, durationMs: Date.now() - started, verified: true, tables, removed };
  } finally {
    clearInterval(heartbeat);
  }
}

async function verifyByRestore(
  file: string,
  connection: Connection,
  config: ResolvedInput<'postgres.backup'>['config'],
  expected: Record<string, number>,
  bin: (name: string) => string,
  signal: AbortSignal,
): Promise<void> {
  const scratch = `runwright_verify_${randomBytes(6).toString('hex')}`;
  const admin = await connectPostgres(connection, signal);
  try {
    try {
      await admin.query(`CREATE DATABASE ${scratch} TEMPLATE template0`);
    } catch (error) {
      throw postgresFailure(error, `creating the scratch database ${scratch} (the user needs CREATEDB)`);
    }
    const restore = await runProgram(bin('pg_restore'), ['--exit-on-error', '--no-owner', '--no-privileges', `--dbname=${scratch}`, file], {
      env: libpqEnvironment(connection, scratch),
      signal,
      timeoutMs: config.timeoutMs,
      field: 'binDir',
    });
    if (restore.exitCode !== 0) {
      throw verificationFailed(`the dump does not restore (pg_restore exited with ${restore.exitCode}): ${restore.stderr.trim().split('\n').slice(-2).join(' ')}`);
    }
    const copy = await connectPostgres(connection, signal, scratch);
    try {
      if (config.verify.rowCounts) {
        const restored = await countRows(copy);
        const differences = [...new Set([...Object.keys(expected), ...Object.keys(restored)])]
          .filter((table) => expected[table] !== restored[table])
          .map((table) => `${table}: ${expected[table] ?? 'absent'} in the snapshot, ${restored[table] ?? 'absent'} restored`);
        if (differences.length > 0) throw verificationFailed(`the restored copy differs: ${differences.join('; ')}`, { expected, restored });
      }
      if (config.verify.query) {
        const result = await copy.query(config.verify.query).catch((error: unknown) => {
          throw verificationFailed(`verify.query failed on the restored copy: ${(error as Error).message}`);
        });
        if (config.verify.assert) {
          await checkAssertion(config.verify.assert, { rows: result.rows, rowCount: result.rowCount }, 'the restored copy').catch((error: ApplicationFailure) => {
            throw error.type === stepErrors.assertionFailed ? verificationFailed(error.message) : error;
          });
        }
      }
    } finally {
      await copy.end().catch(() => undefined);
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`).catch(() => undefined);
    await admin.end().catch(() => undefined);
  }
}

/** Deletes verified dumps of this prefix beyond the newest `keep` (names sort by time). */
async function applyRetention(folder: string, prefix: string, keep: number): Promise<string[]> {
  const pattern = new RegExp(`^${prefix.replace(/[.]/g, '\\.')}-\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}-\\d{3}Z\\.dump$`);
  const dumps = (await readdir(folder)).filter((f) => pattern.test(f)).sort().reverse();
  const removed = dumps.slice(keep);
  for (const file of removed) {
    await rm(join(folder, file), { force: true });
    await rm(join(folder, `${file}.sha256`), { force: true });
  }
  return removed.map((file) => join(folder, file));
}
