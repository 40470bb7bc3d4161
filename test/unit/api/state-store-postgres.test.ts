import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { AuditLog, checkChain } from '../../../apps/api/src/audit/audit-log.js';
import { TokenStore } from '../../../apps/api/src/auth/token-store.js';
import { RunbookStore } from '../../../apps/api/src/runbooks/runbook-store.js';
import { RunbookVersions } from '../../../apps/api/src/runbooks/runbook-versions.js';
import { openStateStore, type StoreSettings } from '../../../apps/api/src/store/open-state-store.js';
import { openPool } from '../../../apps/api/src/store/postgres/connect.js';
import { migrate } from '../../../apps/api/src/store/postgres/migrate.js';
import { migrations } from '../../../apps/api/src/store/postgres/migrations.js';
import type { StateStore } from '../../../apps/api/src/store/state-store.js';
import { freePort } from '../../support/free-port.js';
import { startStateDatabaseServer, type StateDatabaseServer } from '../../support/state-database.js';
import { stateStoreContract } from '../../support/state-store-contract.js';
import { postgresPassword } from '../../scenarios/steps/servers/postgres.js';

let postgres: StateDatabaseServer;

beforeAll(async () => {
  postgres = await startStateDatabaseServer();
}, 120_000);
afterAll(() => postgres?.stop());

stateStoreContract('PostgreSQL', async () => {
  const database = postgres.database();
  return { open: () => openStateStore(database.settings), remove: async () => database.drop() };
});

function auditEntry(replica: number, n: number) {
  return { actor: { user: `replica-${replica}`, via: 'token' as const }, from: {}, action: 'createToken', target: { replica: String(replica), n: String(n) }, outcome: 'ok' as const };
}

/** Two stores over one fresh database: what two API replicas sharing it hold. */
async function twoReplicas(): Promise<{ one: StateStore; two: StateStore; settings: StoreSettings; psql: (sql: string) => string }> {
  const database = postgres.database();
  const [one, two] = await Promise.all([openStateStore(database.settings), openStateStore(database.settings)]);
  onTestFinished(async () => {
    await Promise.all([one.close(), two.close()]);
    database.drop();
  });
  return { one, two, settings: database.settings, psql: (sql) => postgres.server.psql(sql, database.name) };
}

describe('two API replicas over one PostgreSQL', () => {
  it('append to the audit chain at once, 2 × 50, and form one valid chain without a fork', async () => {
    const { one, two, psql } = await twoReplicas();
    const logs = [new AuditLog(one.audit), new AuditLog(two.audit)];
    const written = await Promise.all(logs.flatMap((log, replica) => Array.from({ length: 50 }, (_, n) => log.append(auditEntry(replica, n)))));
    expect(written.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));

    for (const log of logs) {
      const records = await log.read();
      expect(checkChain(records)).toEqual({ ok: true, records: 100 });
      // Every append is there once, and no two records claim the same predecessor.
      expect(new Set(records.map((r) => `${r.target.replica}/${r.target.n}`)).size).toBe(100);
      expect(new Set(records.map((r) => r.prevHash)).size).toBe(100);
    }
    // Both replicas really wrote: the chain interleaves them.
    expect(new Set((await logs[0]!.read()).slice(0, 100).map((r) => r.target.replica))).toEqual(new Set(['0', '1']));
    expect(psql('SELECT count(*) FROM runwright.audit')).toBe('100');
  });

  it('find a record changed in the database, where it is', async () => {
    const { one, psql } = await twoReplicas();
    const log = new AuditLog(one.audit);
    for (const n of [1, 2, 3]) await log.append(auditEntry(0, n));
    psql(`UPDATE runwright.audit SET record = json_build_object('seq', 2, 'at', record->'at', 'actor', json_build_object('user', 'mallory', 'via', 'token'), 'from', record->'from', 'action', record->'action', 'target', record->'target', 'outcome', record->'outcome', 'prevHash', record->'prevHash', 'hash', record->'hash') WHERE seq = 2`);
    expect(checkChain(await log.read())).toMatchObject({ ok: false, brokenAt: 2 });
  });

  it('authenticate a token on one the moment it is created on the other, and stop the moment it is revoked', async () => {
    const { one, two } = await twoReplicas();
    const [first, second] = [new TokenStore(one.tokens), new TokenStore(two.tokens)];
    const made = await first.create({ user: 'ann', roles: ['operator'], createdBy: 'test' });
    expect(await second.authenticate(made.token)).toEqual({ user: 'ann', roles: ['operator'], tokenId: made.tokenId });
    await second.revoke(made.tokenId);
    expect(await first.authenticate(made.token)).toBeUndefined();
  });

  it('serve a runbook saved through one from the other, with its versions', async () => {
    const { one, two } = await twoReplicas();
    const source = 'id: alpha\ntitle: Alpha\nnodes:\n  - id: ok\n    kind: checkpoint\n    config: { title: Go? }\n';
    expect(await new RunbookStore(one.runbooks).create('alpha', source)).toBe('alpha.yaml');
    const saved = await new RunbookVersions(one.versions).record('alpha', source, 'ann');
    const served = await new RunbookStore(two.runbooks).getValid('alpha');
    expect(served.source).toBe(source);
    expect(served.runbook.title).toBe('Alpha');
    expect(await new RunbookVersions(two.versions).list('alpha')).toEqual([saved]);

    await new RunbookStore(two.runbooks).replace('alpha', source.replace('Alpha', 'Alpha 2'));
    expect((await new RunbookStore(one.runbooks).getValid('alpha')).runbook.title).toBe('Alpha 2');
  });

  it('let exactly one of many creators of one id win, across replicas; and save one version of one text', async () => {
    const { one, two } = await twoReplicas();
    const attempts = await Promise.all([one, two].flatMap((store, replica) => Array.from({ length: 5 }, (_, n) => store.runbooks.create('beta', `id: beta # ${replica}-${n}\n`))));
    expect(attempts.filter((file) => file !== undefined)).toEqual(['beta.yaml']);
    const stored = await one.runbooks.get('beta');
    expect((await two.runbooks.list()).map((t) => t.source)).toEqual([stored!.source]);

    await Promise.all([one, two].flatMap((store) => Array.from({ length: 5 }, () => new RunbookVersions(store.versions).record('beta', 'same\n', 'dan'))));
    expect(await new RunbookVersions(two.versions).list('beta')).toHaveLength(1);
  });

  it('refuse a replayed webhook delivery on the other replica, and let one of many simultaneous sightings through', async () => {
    const { one, two } = await twoReplicas();
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    expect(await one.deliveries.firstSighting('alpha/deploy/1', t0, 600_000)).toBe(true);
    expect(await two.deliveries.firstSighting('alpha/deploy/1', t0 + 5_000, 600_000)).toBe(false);
    const together = await Promise.all([one, two].flatMap((store) => Array.from({ length: 5 }, () => store.deliveries.firstSighting('alpha/deploy/2', t0, 600_000))));
    expect(together.filter(Boolean)).toHaveLength(1);
  });

  it('keep the alert switch one switch: paused on one, paused on the other', async () => {
    const { one, two } = await twoReplicas();
    await one.alertSwitch.set({ paused: true, reason: 'storm', by: 'ann', at: '2026-01-01T00:00:00.000Z' });
    expect(await two.alertSwitch.get()).toEqual({ paused: true, reason: 'storm', by: 'ann', at: '2026-01-01T00:00:00.000Z' });
  });
});

describe('migrations', () => {
  it('run once when replicas start together: each version applied by exactly one of them', async () => {
    const database = postgres.database();
    onTestFinished(() => database.drop());
    const pools = await Promise.all(Array.from({ length: 4 }, () => openPool(database.url, 2)));
    onTestFinished(async () => {
      await Promise.all(pools.map((pool) => pool.end()));
    });
    const reports = await Promise.all(pools.map((pool) => migrate(pool, migrations)));
    expect(reports.flatMap((r) => r.applied).sort()).toEqual(migrations.map((m) => m.version));
    expect(reports.map((r) => r.version)).toEqual(pools.map(() => migrations.at(-1)!.version));
    expect(postgres.server.psql('SELECT version FROM runwright.schema_migrations ORDER BY version', database.name).split('\n').map(Number)).toEqual(migrations.map((m) => m.version));

    // Two stores opened at once over a fresh database both come up, and share what they hold.
    const other = postgres.database();
    onTestFinished(() => other.drop());
    const stores = await Promise.all([openStateStore(other.settings), openStateStore(other.settings)]);
    onTestFinished(async () => {
      await Promise.all(stores.map((store) => store.close()));
    });
    await stores[0]!.alertSwitch.set({ paused: true, reason: 'x', by: 'y', at: 'z' });
    expect(await stores[1]!.alertSwitch.get()).toMatchObject({ paused: true });
  });

  it('apply a later migration once, on the next start, and refuse a database newer than the code', async () => {
    const database = postgres.database();
    onTestFinished(() => database.drop());
    const pool = await openPool(database.url, 2);
    onTestFinished(() => pool.end());
    await migrate(pool, migrations);
    // A replica frozen inside a transaction cannot hold the audit lock for ever.
    expect((await pool.query('SHOW idle_in_transaction_session_timeout')).rows[0]).toEqual({ idle_in_transaction_session_timeout: '1min' });
    const next = migrations.at(-1)!.version + 1;
    const later = [...migrations, { version: next, name: 'a later change', sql: 'CREATE TABLE runwright.later (x int)' }];
    expect(await migrate(pool, later)).toEqual({ applied: [next], version: next });
    expect(await migrate(pool, later)).toEqual({ applied: [], version: next });

    // A failing migration keeps nothing of itself.
    const failing = [...later, { version: next + 1, name: 'broken', sql: 'CREATE TABLE runwright.half (x int); SELECT no_such_function()' }];
    await expect(migrate(pool, failing)).rejects.toThrow(`state database migration ${next + 1} (broken) failed, nothing of it was kept`);
    expect(postgres.server.psql("SELECT count(*) FROM pg_tables WHERE schemaname = 'runwright' AND tablename = 'half'", database.name)).toBe('0');

    // The older code (the shipped list) meets a database one version ahead of it.
    await expect(openStateStore(database.settings)).rejects.toThrow(`the state database is at schema version ${next}, newer than this Runwright knows (${migrations.at(-1)!.version})`);
  });
});

describe('opening the database', () => {
  it('fails at start with the host and database named, never the password', async () => {
    const port = await freePort();
    const password = 'very-secret-pass';
    const unreachable = { RUNWRIGHT_DATA_DIR: '.', RUNWRIGHT_RUNBOOKS_DIR: '.', RUNWRIGHT_DATABASE_URL: `postgres://runwright:${password}@127.0.0.1:${port}/state` };
    const refused = await openStateStore(unreachable).then(() => undefined, (error: Error) => error.message);
    expect(refused).toMatch(new RegExp(`^cannot open the state database at 127\\.0\\.0\\.1:${port}/state \\(RUNWRIGHT_DATABASE_URL\\): .*ECONNREFUSED`));
    expect(refused).not.toContain(password);

    const database = postgres.database();
    onTestFinished(() => database.drop());
    const wrongPassword = database.url.replace(encodeURIComponent(postgresPassword), password);
    const denied = await openStateStore({ ...database.settings, RUNWRIGHT_DATABASE_URL: wrongPassword }).then(() => undefined, (error: Error) => error.message);
    expect(denied).toContain(`cannot open the state database at 127.0.0.1:${postgres.server.port}/${database.name}`);
    expect(denied).toContain('password authentication failed');
    expect(denied).not.toContain(password);

    await expect(openStateStore({ ...database.settings, RUNWRIGHT_DATABASE_POOL_SIZE: 'lots' })).rejects.toThrow('RUNWRIGHT_DATABASE_POOL_SIZE must be a whole number of at least 1, not "lots"');
  });

  it('stops the API process at start with that one line, before anything listens', async () => {
    const port = await freePort();
    const root = resolve(import.meta.dirname, '../../..');
    const started = await new Promise<{ code: number | null; stderr: string }>((done) => {
      const child = execFile(process.execPath, ['--import', 'tsx', 'apps/api/src/main.ts'], {
        cwd: root,
        env: { ...process.env, RUNWRIGHT_DATABASE_URL: `postgres://runwright:hunter2-pass@127.0.0.1:${port}/state`, RUNWRIGHT_API_PORT: String(port), TEMPORAL_ADDRESS: '127.0.0.1:1' },
        timeout: 60_000,
      }, (_error, _stdout, stderr) => done({ code: child.exitCode, stderr }));
    });
    expect(started.code).toBe(1);
    expect(started.stderr.trim()).toMatch(new RegExp(`^runwright api: cannot open the state database at 127\\.0\\.0\\.1:${port}/state \\(RUNWRIGHT_DATABASE_URL\\): connect ECONNREFUSED`));
    expect(started.stderr).not.toContain('hunter2-pass');
  });

  it('touches neither the data folder nor the runbooks folder', async () => {
    const database = postgres.database();
    onTestFinished(() => database.drop());
    const store = await openStateStore(database.settings);
    onTestFinished(() => store.close());
    await new TokenStore(store.tokens).create({ user: 'ann', roles: ['viewer'], createdBy: 'test' });
    await store.runbooks.create('alpha', 'id: alpha\n');
    expect(existsSync(database.settings.RUNWRIGHT_DATA_DIR)).toBe(false);
    expect(existsSync(database.settings.RUNWRIGHT_RUNBOOKS_DIR)).toBe(false);
    expect(store.runbooks.location).toContain(`${database.name}`);
    expect(store.runbooks.location).not.toContain(postgresPassword);
  });
});
