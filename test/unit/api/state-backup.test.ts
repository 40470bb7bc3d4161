import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { AuditLog, checkChain } from '../../../apps/api/src/audit/audit-log.js';
import { TokenStore } from '../../../apps/api/src/auth/token-store.js';
import { ReportCache } from '../../../apps/api/src/reports/report-cache.js';
import { RunbookStore } from '../../../apps/api/src/runbooks/runbook-store.js';
import { RunbookVersions } from '../../../apps/api/src/runbooks/runbook-versions.js';
import { readBackup, restoreBackup } from '../../../apps/api/src/store/backup/restore-backup.js';
import { writeBackup } from '../../../apps/api/src/store/backup/write-backup.js';
import { openStateStore, type StoreSettings } from '../../../apps/api/src/store/open-state-store.js';
import type { StateStore } from '../../../apps/api/src/store/state-store.js';
import { AlertSwitch } from '../../../apps/api/src/triggers/alert-switch.js';
import { WebhookSecrets } from '../../../apps/api/src/triggers/webhook-secrets.js';
import { runCli } from '../../support/cli.js';
import { startStateDatabaseServer, type StateDatabaseServer } from '../../support/state-database.js';
import { sampleReport } from '../../support/state-store-contract.js';

let postgres: StateDatabaseServer;
let scratch: string;

beforeAll(async () => {
  postgres = await startStateDatabaseServer();
  scratch = mkdtempSync(join(tmpdir(), 'runwright-backup-'));
}, 120_000);
afterAll(() => {
  postgres?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

type Backend = 'files' | 'PostgreSQL';

/** Settings of a fresh, empty state of a backend, removed when the test ends. */
function emptyState(backend: Backend): StoreSettings {
  if (backend === 'PostgreSQL') {
    const database = postgres.database();
    onTestFinished(() => database.drop());
    return database.settings;
  }
  const root = mkdtempSync(join(scratch, 'files-'));
  mkdirSync(join(root, 'runbooks'));
  return { RUNWRIGHT_DATA_DIR: join(root, 'data'), RUNWRIGHT_RUNBOOKS_DIR: join(root, 'runbooks') };
}

async function opened(settings: StoreSettings): Promise<StateStore> {
  const store = await openStateStore(settings);
  onTestFinished(() => store.close());
  return store;
}

const runbook = (id: string, title: string) => `# ${title}\nid: ${id}\ntitle: ${title}\nnodes:\n  - id: go\n    kind: checkpoint\n    config: { title: Go? }\n`;

/** A store with some of everything, as an API that has been in use holds; returns what to look for after a restore. */
async function populate(store: StateStore) {
  const tokens = new TokenStore(store.tokens);
  const kept = await tokens.create({ user: 'ann', roles: ['operator', 'approver'], createdBy: 'test' });
  const revoked = await tokens.create({ user: 'bob', roles: ['viewer'], createdBy: 'test' });
  await tokens.revoke(revoked.tokenId);
  const log = new AuditLog(store.audit);
  for (let n = 0; n < 25; n++) await log.append({ actor: { user: 'ann', via: 'token' }, from: { ip: '127.0.0.1' }, action: 'startRun', target: { n: String(n), note: 'ünïcode ✓' }, outcome: 'ok' });
  const runbooks = new RunbookStore(store.runbooks);
  const versions = new RunbookVersions(store.versions);
  for (const [id, title] of [['alpha', 'Alpha'], ['beta', 'Beta'], ['old', 'Old']] as const) {
    await runbooks.create(id, runbook(id, title));
    await versions.record(id, runbook(id, title), 'ann');
  }
  await runbooks.replace('alpha', runbook('alpha', 'Alpha 2'));
  await versions.record('alpha', runbook('alpha', 'Alpha 2'), 'bob');
  await runbooks.archive('old', '2026-01-01T00-00-00-000Z');
  const secret = await new WebhookSecrets(store.webhookSecrets).rotate('alpha', 'deploy');
  const paused = await new AlertSwitch(store.alertSwitch).set(true, 'maintenance', 'ann');
  await new ReportCache(store.reports).put(sampleReport('run-1'), 'execution-a');
  await store.scheduleOverrides.put({ scheduleId: 'runwright:dr-drill:weekly', override: { paused: true }, by: 'ann', at: '2026-01-02T00:00:00.000Z' });
  return { kept, revoked, secret, paused };
}

const pairs: [Backend, Backend][] = [
  ['files', 'files'],
  ['files', 'PostgreSQL'],
  ['PostgreSQL', 'PostgreSQL'],
  ['PostgreSQL', 'files'],
];

describe('backup and restore of the API state', () => {
  it.each(pairs)('from %s into an empty %s store: the chain verifies, tokens work, runbooks and versions are there', async (from, to) => {
    const source = await opened(emptyState(from));
    const expected = await populate(source);
    const { text, counts } = await writeBackup(source, `test ${from}`);
    expect(counts).toEqual({ token: 2, audit: 25, runbook: 2, archivedRunbook: 1, version: 4, webhookSecret: 1, alertSwitch: 1, report: 1, scheduleOverride: 1 });
    // No token appears in the archive, only its hash.
    expect(text).not.toContain(expected.kept.token);

    const target = await opened(emptyState(to));
    expect(await restoreBackup(target, readBackup(text))).toEqual(counts);

    const records = await new AuditLog(target.audit).read();
    expect(checkChain(records)).toEqual({ ok: true, records: 25 });
    expect(records).toEqual(await new AuditLog(source.audit).read());
    // The restored chain goes on where it ended.
    expect(await new AuditLog(target.audit).append({ actor: { user: 'ann', via: 'token' }, from: {}, action: 'restore', target: {}, outcome: 'ok' })).toMatchObject({ seq: 26, prevHash: records.at(-1)!.hash });

    const tokens = new TokenStore(target.tokens);
    expect(await tokens.authenticate(expected.kept.token)).toEqual({ user: 'ann', roles: ['operator', 'approver'], tokenId: expected.kept.tokenId });
    expect(await tokens.authenticate(expected.revoked.token)).toBeUndefined();
    expect(await tokens.list()).toEqual(await new TokenStore(source.tokens).list());

    const runbooks = new RunbookStore(target.runbooks);
    expect((await runbooks.list()).map((r) => [r.id, r.source])).toEqual([
      ['alpha', runbook('alpha', 'Alpha 2')],
      ['beta', runbook('beta', 'Beta')],
    ]);
    expect((await runbooks.getValid('alpha')).runbook.title).toBe('Alpha 2');
    expect(await target.runbooks.listArchived()).toEqual([{ id: 'old', archivedAs: '.archive/old.2026-01-01T00-00-00-000Z.yaml', source: runbook('old', 'Old') }]);
    const versions = new RunbookVersions(target.versions);
    for (const id of ['alpha', 'beta', 'old']) expect(await versions.list(id)).toEqual(await new RunbookVersions(source.versions).list(id));
    const [first, second] = await versions.list('alpha');
    expect([first!.savedBy, second!.savedBy]).toEqual(['ann', 'bob']);
    expect(await versions.source('alpha', first!.versionHash)).toBe(runbook('alpha', 'Alpha'));

    expect(await new WebhookSecrets(target.webhookSecrets).get('alpha', 'deploy')).toBe(expected.secret);
    expect(await new AlertSwitch(target.alertSwitch).get()).toEqual(expected.paused);
    expect(await new ReportCache(target.reports).get('run-1', 'execution-a')).toEqual(sampleReport('run-1'));
    expect(await target.scheduleOverrides.list()).toEqual([{ scheduleId: 'runwright:dr-drill:weekly', override: { paused: true }, by: 'ann', at: '2026-01-02T00:00:00.000Z' }]);
  });

  it('refuses to restore into a store that holds anything, saying what it holds', async () => {
    const source = await opened(emptyState('files'));
    await populate(source);
    const { text } = await writeBackup(source, 'test');
    const target = await opened(emptyState('PostgreSQL'));
    await new TokenStore(target.tokens).create({ user: 'zed', roles: ['viewer'], createdBy: 'test' });
    await expect(restoreBackup(target, readBackup(text))).rejects.toThrow('the target state is not empty (it holds 1 token)');
    expect(await target.audit.read()).toEqual([]);
  });

  it('refuses an archive that was cut short, edited, reordered, or is something else', async () => {
    const source = await opened(emptyState('files'));
    await populate(source);
    const { text } = await writeBackup(source, 'test');
    const lines = text.trimEnd().split('\n');
    expect(() => readBackup(text)).not.toThrow();
    expect(() => readBackup(`${lines.slice(0, -3).join('\n')}\n`)).toThrow('the archive has no end line: it was cut short');
    expect(() => readBackup([...lines.slice(0, 5), ...lines.slice(6)].join('\n'))).toThrow('lines were added or removed');
    expect(() => readBackup(text.replace('"user":"ann"', '"user":"eve"'))).toThrow('the archive was changed after it was written');
    expect(() => readBackup([lines[0], lines[2], lines[1], ...lines.slice(3)].join('\n'))).toThrow('the archive was changed after it was written');
    expect(() => readBackup('{"hello":1}\n')).toThrow('not a Runwright state backup');
    expect(() => readBackup(text.replace('"version":1', '"version":9'))).toThrow('the archive has format version 9; this Runwright reads version 1');
  });
});

describe('runwright backup / restore', () => {
  it('back up the configured store to a file only its owner reads, and restore it into the other backend', async () => {
    const database = emptyState('PostgreSQL');
    const source = await opened(database);
    const expected = await populate(source);
    const archive = join(scratch, `state-${Date.now()}.backup`);
    const env = { RUNWRIGHT_DATABASE_URL: database.RUNWRIGHT_DATABASE_URL!, RUNWRIGHT_DATA_DIR: join(scratch, 'unused') };

    const backedUp = await runCli(['backup', archive], env);
    expect(backedUp).toMatchObject({ code: 0 });
    expect(backedUp.stderr).toContain(`backed up PostgreSQL 127.0.0.1:${postgres.server.port}/`);
    expect(backedUp.stderr).toContain('2 token(s), 25 audit record(s), 2 runbook(s), 1 archived runbook(s), 4 runbook version(s), 1 webhook secret(s), the alert switch, 1 drill report(s), 1 schedule override(s)');
    expect(backedUp.stderr).toContain('Not in the archive: the state key file');
    expect(backedUp.stderr).not.toContain('test-superuser-password');
    expect(statSync(archive).mode & 0o777).toBe(0o600);
    expect(readFileSync(archive, 'utf8')).not.toContain('test-superuser-password');

    const again = await runCli(['backup', archive], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('exists already; choose a new name');

    const files = emptyState('files');
    const restored = await runCli(['restore', archive, '--files', '--data-dir', files.RUNWRIGHT_DATA_DIR, '--runbooks-dir', files.RUNWRIGHT_RUNBOOKS_DIR], env);
    expect(restored.stderr).toContain('every record read back as archived');
    expect(restored.code).toBe(0);
    const target = await opened(files);
    expect(await new TokenStore(target.tokens).authenticate(expected.kept.token)).toMatchObject({ user: 'ann' });
    expect(checkChain(await target.audit.read())).toEqual({ ok: true, records: 25 });
    expect(readFileSync(join(files.RUNWRIGHT_RUNBOOKS_DIR, 'alpha.yaml'), 'utf8')).toBe(runbook('alpha', 'Alpha 2'));

    // Into the same folders again: refused, nothing changed.
    const twice = await runCli(['restore', archive, '--files', '--data-dir', files.RUNWRIGHT_DATA_DIR, '--runbooks-dir', files.RUNWRIGHT_RUNBOOKS_DIR], env);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('the target state is not empty');

    writeFileSync(join(scratch, 'broken.backup'), readFileSync(archive, 'utf8').split('\n').slice(0, 10).join('\n'));
    const broken = await runCli(['restore', join(scratch, 'broken.backup'), '--files', '--data-dir', join(scratch, 'x'), '--runbooks-dir', join(scratch, 'y')], env);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('runwright: the archive has no end line: it was cut short');
  });
});
