import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AddressPolicy } from '../../../workers/src/config/address-policy.js';
import { envSecretSource } from '../../../workers/src/secrets/env-secret-source.js';
import { activityFailure, runActivity } from '../../support/activities.js';
import { freePort } from '../../support/free-port.js';
import { historyText } from '../../support/history-text.js';
import { finalState, startTestRun } from '../../support/run-helpers.js';
import { connectToTestServer, startTestWorker, type RunningWorker } from '../../support/temporal.js';
import { postgresBinDir, postgresPassword, startPostgres, startReplica, type RunningPostgres } from './servers/postgres.js';

let env: TestWorkflowEnvironment;
let worker: RunningWorker;
let folder: string;
let primary: RunningPostgres;
let replica: RunningPostgres;
const activityConfig = { secrets: envSecretSource({ RUNWRIGHT_SECRET_PG_PASSWORD: postgresPassword }), addresses: new AddressPolicy(['127.0.0.0/8', '::1']) };
const secretPassword = { secret: 'PG_PASSWORD' };

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'runwright-pg-'));
  // The server runs as postgres and must traverse this folder to its own.
  chmodSync(folder, 0o755);
  primary = await startPostgres(join(folder, 'cluster'));
  primary.psql(`CREATE DATABASE shop`);
  primary.psql(
    `CREATE TABLE orders (id serial PRIMARY KEY, note text);
     INSERT INTO orders (note) SELECT 'order ' || g FROM generate_series(1, 1000) g;
     CREATE SCHEMA audit; CREATE TABLE audit."Log Entries" (at timestamptz DEFAULT now(), what text);
     INSERT INTO audit."Log Entries" (what) VALUES ('a'), ('b');`,
    'shop',
  );
  replica = await startReplica(join(folder, 'cluster'), primary);
  env = await connectToTestServer();
  worker = await startTestWorker(env, { kinds: ['postgres.sql', 'postgres.backup', 'postgres.promote'], activityConfig });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  replica?.stop();
  primary?.stop();
  await env?.teardown();
  rmSync(folder, { recursive: true, force: true });
});

const shop = () => ({ ...primary.connection, password: secretPassword, database: 'shop' });

describe('postgres.backup against a real cluster', () => {
  it('dumps, proves the dump restores with the same row counts, records its checksum, through the interpreter', async () => {
    const target = join(folder, 'backups-e2e');
    const handle = await startTestRun(env, worker.taskQueue, {
      secrets: ['PG_PASSWORD'],
      nodes: [
        {
          id: 'backup',
          kind: 'postgres.backup',
          config: { connection: shop(), targetDir: target, binDir: postgresBinDir, verify: { query: 'SELECT max(id) AS top FROM orders', assert: 'rows[0].top = 1000' } },
        },
        { id: 'check', kind: 'postgres.sql', config: { connection: shop(), sql: 'SELECT count(*)::int AS n FROM orders', readOnly: true, assert: 'rows[0].n = 1000' } },
      ],
      edges: [{ from: 'backup', to: 'check' }],
    });
    const state = await finalState(handle);
    expect(state.status).toBe('succeeded');
    const output = state.nodes.backup!.output as { file: string; sha256: string; sizeBytes: number; verified: boolean; tables: Record<string, number> };
    expect(output).toMatchObject({ verified: true, tables: { 'public.orders': 1000, 'audit."Log Entries"': 2 } });
    const bytes = readFileSync(output.file);
    expect(output.sizeBytes).toBe(bytes.length);
    expect(output.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(readFileSync(`${output.file}.sha256`, 'utf8')).toContain(output.sha256);
    expect(readdirSync(target).filter((f) => !f.endsWith('.dump') && !f.endsWith('.sha256'))).toEqual([]);
    // The scratch database is gone again.
    expect(primary.psql(`SELECT count(*) FROM pg_database WHERE datname LIKE 'runwright_verify_%'`)).toBe('0');
    expect(await historyText(handle)).not.toContain(postgresPassword);
  });

  it('never reports a truncated dump as good', async () => {
    // A pg_dump that exits 0 but leaves half a file, as a full disk or a killed pipe can.
    const lying = join(folder, 'lying-bin');
    mkdirSync(lying, { recursive: true });
    writeFileSync(
      join(lying, 'pg_dump'),
      `#!/bin/sh\n"${postgresBinDir}/pg_dump" "$@" || exit $?\nfor a in "$@"; do case "$a" in --file=*) f="\${a#--file=}";; esac; done\ntruncate -s $(( $(stat -c %s "$f") / 2 )) "$f"\n`,
    );
    chmodSync(join(lying, 'pg_dump'), 0o755);
    symlinkSync(join(postgresBinDir, 'pg_restore'), join(lying, 'pg_restore'));
    const target = join(folder, 'backups-corrupt');
    const failure = await activityFailure(runActivity('postgres.backup', { connection: shop(), targetDir: target, binDir: lying }, { activityConfig }));
    expect(failure).toMatchObject({ type: 'BackupVerificationFailed', message: expect.stringContaining('the dump does not restore'), nonRetryable: false });
    const files = readdirSync(target);
    expect(files.filter((f) => f.endsWith('.dump'))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.dump.failed'))).toHaveLength(1);
    expect(primary.psql(`SELECT count(*) FROM pg_database WHERE datname LIKE 'runwright_verify_%'`)).toBe('0');
  });

  it('fails verification when the restored copy does not pass the given check', async () => {
    const failure = await activityFailure(
      runActivity('postgres.backup', { connection: shop(), targetDir: join(folder, 'backups-check'), binDir: postgresBinDir, verify: { query: 'SELECT count(*)::int AS n FROM orders', assert: 'rows[0].n > 5000' } }, { activityConfig }),
    );
    expect(failure).toMatchObject({ type: 'BackupVerificationFailed', message: expect.stringContaining('rows[0].n > 5000 gave false') });
  });

  it('keeps only the newest N verified dumps', async () => {
    const target = join(folder, 'backups-retention');
    const made: string[] = [];
    let removed: string[] = [];
    for (let i = 0; i < 3; i++) {
      const result = await runActivity('postgres.backup', { connection: shop(), targetDir: target, binDir: postgresBinDir, keep: 2, prefix: 'shop-nightly' }, { activityConfig });
      made.push(result.output.file);
      removed = result.output.removed;
    }
    expect(removed).toEqual([made[0]]);
    expect(readdirSync(target).sort()).toEqual(made.slice(1).flatMap((f) => [f.split('/').pop()!, `${f.split('/').pop()!}.sha256`]).sort());
  });
});

describe('postgres.sql against a real cluster', () => {
  it('binds parameters as data and asserts over rows', async () => {
    const evil = "x'); DROP TABLE orders; --";
    const result = await runActivity('postgres.sql', { connection: shop(), sql: 'SELECT $1::text AS echoed, count(*)::int AS n FROM orders', params: [evil], assert: 'rows[0].n = 1000' }, { activityConfig });
    expect(result.output).toMatchObject({ rowCount: 1, fields: ['echoed', 'n'], rows: [{ echoed: evil, n: 1000 }] });
    expect(primary.psql('SELECT count(*) FROM orders', 'shop')).toBe('1000');
  });

  it('serves as a waitUntil check', async () => {
    const result = await runActivity(
      'waitUntil',
      { check: { kind: 'postgres.sql', config: { connection: shop(), sql: 'SELECT count(*)::int AS n FROM orders', readOnly: true, assert: 'rows[0].n >= 1000' } }, intervalMs: 100, timeoutMs: 10_000 },
      { activityConfig },
    );
    expect(result.output).toMatchObject({ polls: 1, output: { rows: [{ n: 1000 }] } });
  });

  it('refuses writes in a read-only check, and types its failures', async () => {
    expect(await activityFailure(runActivity('postgres.sql', { connection: shop(), sql: 'DELETE FROM orders', readOnly: true }, { activityConfig }))).toMatchObject({
      type: 'SqlError',
      message: expect.stringContaining('read-only transaction'),
    });
    expect(await activityFailure(runActivity('postgres.sql', { connection: shop(), sql: 'SELECT 1 AS one', assert: 'rows[0].one = 2' }, { activityConfig }))).toMatchObject({ type: 'AssertionFailed', nonRetryable: false });
    expect(await activityFailure(runActivity('postgres.sql', { connection: shop(), sql: 'SELEC 1' }, { activityConfig }))).toMatchObject({ type: 'SqlError', nonRetryable: true, message: expect.stringContaining('42601') });
    expect(await activityFailure(runActivity('postgres.sql', { connection: { ...shop(), password: 'wrong' }, sql: 'SELECT 1' }, { activityConfig }))).toMatchObject({ type: 'AuthenticationFailed' });
    expect(await activityFailure(runActivity('postgres.sql', { connection: { ...shop(), port: await freePort() }, sql: 'SELECT 1' }, { activityConfig }))).toMatchObject({ type: 'Unreachable', message: expect.stringContaining('ECONNREFUSED') });
    expect(await activityFailure(runActivity('postgres.sql', { connection: { ...shop(), password: { secret: 'NOPE' } }, sql: 'SELECT 1' }, { activityConfig }))).toMatchObject({ type: 'SecretMissing', nonRetryable: true, message: expect.stringMatching(/^connection\.password: /) });
  });
});

describe('postgres.promote against a real streaming replica', () => {
  it('promotes the standby through the interpreter, which then takes writes; promoting again is a no-op', async () => {
    primary.psql(`INSERT INTO orders (note) VALUES ('before failover')`, 'shop');
    // The standby must have replayed the row before the failover for this test to mean anything.
    for (let i = 0; i < 100 && replica.psql(`SELECT count(*) FROM orders WHERE note = 'before failover'`, 'shop') !== '1'; i++) await new Promise((r) => setTimeout(r, 100));
    expect(replica.psql('SELECT pg_is_in_recovery()')).toBe('t');

    const standby = { ...replica.connection, password: secretPassword, database: 'shop' };
    const handle = await startTestRun(env, worker.taskQueue, {
      secrets: ['PG_PASSWORD'],
      nodes: [
        { id: 'promote', kind: 'postgres.promote', config: { connection: standby } },
        { id: 'write', kind: 'postgres.sql', config: { connection: standby, sql: `INSERT INTO orders (note) VALUES ('after failover') RETURNING id` } },
      ],
      edges: [{ from: 'promote', to: 'write' }],
    });
    const state = await finalState(handle);
    expect(state.status).toBe('succeeded');
    expect(state.nodes.promote!.output).toMatchObject({ wasStandby: true, promoted: true, timeline: 2 });
    expect(replica.psql('SELECT pg_is_in_recovery()')).toBe('f');
    expect(replica.psql(`SELECT count(*) FROM orders WHERE note IN ('before failover', 'after failover')`, 'shop')).toBe('2');

    const again = await runActivity('postgres.promote', { connection: standby }, { activityConfig });
    expect(again.output).toMatchObject({ wasStandby: false, promoted: false, timeline: 2 });
    expect(await activityFailure(runActivity('postgres.promote', { connection: standby, requireStandby: true }, { activityConfig }))).toMatchObject({ type: 'NotStandby', nonRetryable: true });
  });
});
