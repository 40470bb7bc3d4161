import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditRecord, DrillReport } from '@runwright/runbook';
import { AuditLog, checkChain } from '../../apps/api/src/audit/audit-log.js';
import { TokenStore } from '../../apps/api/src/auth/token-store.js';
import { ReportCache } from '../../apps/api/src/reports/report-cache.js';
import { RunbookVersions } from '../../apps/api/src/runbooks/runbook-versions.js';
import { ScheduleOverrides } from '../../apps/api/src/schedules/schedule-overrides.js';
import type { StateStore } from '../../apps/api/src/store/state-store.js';
import { AlertSwitch } from '../../apps/api/src/triggers/alert-switch.js';
import { WebhookSecrets } from '../../apps/api/src/triggers/webhook-secrets.js';

/** Fresh, empty state of one backend (a new folder, a new database) for one test. */
export interface BackingState {
  /** Opens a store over this state; each call opens another, as a restart or another API replica would. */
  open(): Promise<StateStore>;
  remove(): Promise<void>;
}

/** A drill report as the cache keeps it; its content does not matter to the store. */
export function sampleReport(runId: string): DrillReport {
  return {
    runId,
    runbookId: 'alpha',
    runbookTitle: 'Alpha',
    planHash: `sha256:${'1'.repeat(64)}`,
    trigger: { type: 'manual', by: 'ann' },
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:10:00.000Z',
    status: 'succeeded',
    dryRun: false,
    objectives: { rtoSeconds: 900, recoveredAt: 'verify' },
    measured: { recoverySeconds: 600, dataLossSeconds: null },
    results: [{ objective: 'rto', targetSeconds: 900, measuredSeconds: 600, met: true }],
    verdict: 'passed',
    timeline: [],
    deviations: [],
  };
}

function sortBy<T>(items: T[], key: (item: T) => string): T[] {
  return [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function auditEntry(n: number): Omit<AuditRecord, 'seq' | 'at' | 'prevHash' | 'hash'> {
  return { actor: { user: `user-${n}`, via: 'token' }, from: {}, action: 'createToken', target: { n: String(n) }, outcome: 'ok' };
}

/**
 * What every backend of the API's state must do, written once and run against each backend (the
 * file one now, PostgreSQL later): `backing` makes fresh state for every test. The checks go
 * through the classes the routes use, so they pin the behaviour callers see, not a backend's
 * insides; where a part is shared by stores opened over the same state, they check that too.
 */
export function stateStoreContract(backend: string, backing: () => Promise<BackingState>): void {
  describe(`the state store contract: ${backend}`, () => {
    let state: BackingState;
    let opened: StateStore[];
    const open = async (): Promise<StateStore> => {
      const store = await state.open();
      opened.push(store);
      return store;
    };

    beforeEach(async () => {
      state = await backing();
      opened = [];
    });
    afterEach(async () => {
      for (const store of opened) await store.close();
      await state.remove();
    });

    it('tokens: a created token authenticates on every store over the state, as stored, until it is revoked', async () => {
      const [one, two] = [new TokenStore((await open()).tokens), new TokenStore((await open()).tokens)];
      const made = await one.create({ user: 'carol', roles: ['approver', 'viewer', 'approver'], description: 'on call', createdBy: 'test' });
      expect(made).toMatchObject({ user: 'carol', roles: ['approver', 'viewer'], description: 'on call', createdBy: 'test', token: expect.stringMatching(/^rw_/) });

      expect(await two.authenticate(made.token)).toEqual({ user: 'carol', roles: ['approver', 'viewer'], tokenId: made.tokenId });
      expect(await two.authenticate(`${made.token}x`)).toBeUndefined();
      const listed = await two.list();
      expect(listed.map((t) => t.tokenId)).toEqual([made.tokenId]);
      expect(listed[0]).not.toHaveProperty('hash');
      expect(JSON.stringify(listed)).not.toContain(made.token);

      const revoked = await two.revoke(made.tokenId);
      expect(revoked).toMatchObject({ tokenId: made.tokenId, revokedAt: expect.any(String) });
      expect(revoked).not.toHaveProperty('hash');
      expect(await one.authenticate(made.token)).toBeUndefined();
      // Revoking again keeps the first date.
      expect((await one.revoke(made.tokenId))?.revokedAt).toBe(revoked!.revokedAt);
      expect(await one.revoke('0123456789abcdef')).toBeUndefined();
    });

    it('tokens: bootstrap creates an admin token on first start only, and registers the environment token once', async () => {
      const tokens = new TokenStore((await open()).tokens);
      const first = await tokens.bootstrap('');
      expect(await tokens.authenticate(first.created!)).toMatchObject({ user: 'admin', roles: ['admin'] });
      expect(await tokens.bootstrap('')).toEqual({});

      expect(await tokens.bootstrap('rw_from_environment')).toEqual({});
      expect(await tokens.bootstrap('rw_from_environment')).toEqual({});
      expect(await tokens.authenticate('rw_from_environment')).toMatchObject({ user: 'bootstrap', roles: ['admin'] });
      expect((await tokens.list()).filter((t) => t.user === 'bootstrap')).toHaveLength(1);
      // Revoked, the same token comes back as a new record at the next start.
      const [registered] = (await tokens.list()).filter((t) => t.user === 'bootstrap');
      await tokens.revoke(registered!.tokenId);
      await tokens.bootstrap('rw_from_environment');
      expect((await tokens.authenticate('rw_from_environment'))?.tokenId).not.toBe(registered!.tokenId);
    });

    it('audit: 50 appends at once form one valid chain, which a store opened later continues', async () => {
      const log = new AuditLog((await open()).audit);
      const written = await Promise.all(Array.from({ length: 50 }, (_, n) => log.append(auditEntry(n))));
      expect(written.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      const records = await log.read();
      expect(checkChain(records)).toEqual({ ok: true, records: 50 });
      expect(records.map((r) => Number(r.target.n)).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, n) => n));
      expect(records).toEqual([...written].sort((a, b) => a.seq - b.seq));

      const later = new AuditLog((await open()).audit);
      expect(await later.append(auditEntry(50))).toMatchObject({ seq: 51, prevHash: records.at(-1)!.hash });
      expect(checkChain(await later.read())).toEqual({ ok: true, records: 51 });
    });

    it('runbooks: create refuses an id that exists, and replace and archive change what every store reads', async () => {
      const documents = (await open()).runbooks;
      expect(await documents.list()).toEqual([]);
      expect(await documents.create('alpha', 'id: alpha\n')).toBe('alpha.yaml');
      expect(await documents.create('alpha', 'id: alpha # again\n')).toBeUndefined();
      expect(await documents.get('alpha')).toEqual({ id: 'alpha', file: 'alpha.yaml', source: 'id: alpha\n' });
      // Of several creators of one id, exactly one wins.
      const racers = await Promise.all([1, 2, 3, 4, 5].map((n) => documents.create('beta', `id: beta # ${n}\n`)));
      expect(racers.filter((file) => file !== undefined)).toEqual(['beta.yaml']);

      const other = (await open()).runbooks;
      expect((await other.list()).map((t) => t.id)).toEqual(['alpha', 'beta']);
      expect(await other.replace('alpha', 'id: alpha\ntitle: A\n')).toBe('alpha.yaml');
      expect((await documents.get('alpha'))?.source).toBe('id: alpha\ntitle: A\n');
      expect(await documents.replace('gamma', 'id: gamma\n')).toBeUndefined();
      expect(await documents.get('gamma')).toBeUndefined();

      const archivedAs = await documents.archive('alpha', '2026-01-01T00-00-00-000Z');
      expect(archivedAs).toContain('2026-01-01T00-00-00-000Z');
      expect(await other.get('alpha')).toBeUndefined();
      expect((await other.list()).map((t) => t.id)).toEqual(['beta']);
      expect(await documents.archive('alpha', '2026-01-02T00-00-00-000Z')).toBeUndefined();
      // Archived, the id is free for a new runbook.
      expect(await documents.create('alpha', 'id: alpha\n')).toBe('alpha.yaml');
    });

    it('versions: the same text saved again is one version, unless another came between', async () => {
      const versions = new RunbookVersions((await open()).versions);
      expect(await versions.list('alpha')).toEqual([]);
      const first = await versions.record('alpha', 'one\n', 'ann', `sha256:${'a'.repeat(64)}`);
      expect(first).toMatchObject({ versionHash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), planHash: `sha256:${'a'.repeat(64)}`, savedBy: 'ann' });
      expect(await versions.record('alpha', 'one\n', 'bob')).toEqual(first);
      await versions.record('alpha', 'two\n', 'bob');
      await versions.record('alpha', 'one\n', 'cat');
      const listed = await versions.list('alpha');
      expect(listed.map((v) => v.savedBy)).toEqual(['ann', 'bob', 'cat']);
      expect(listed[0]).toEqual(first);
      expect(listed[2]!.versionHash).toBe(first.versionHash);
      expect(listed[2]).not.toHaveProperty('planHash');

      const other = new RunbookVersions((await open()).versions);
      expect(await other.list('alpha')).toEqual(listed);
      expect(await other.source('alpha', first.versionHash)).toBe('one\n');
      expect(await other.source('alpha', listed[1]!.versionHash)).toBe('two\n');
      expect(await other.source('beta', first.versionHash)).toBeUndefined();
      expect(await other.source('alpha', `sha256:${'0'.repeat(64)}`)).toBeUndefined();
      expect(await other.source('alpha', 'latest')).toBeUndefined();

      // Saves of one text at once make one version.
      await Promise.all(Array.from({ length: 10 }, () => versions.record('gamma', 'same\n', 'dan')));
      expect(await versions.list('gamma')).toHaveLength(1);
    });

    it('webhook secrets: a rotation replaces the secret for every store, hook by hook', async () => {
      const [one, two] = [new WebhookSecrets((await open()).webhookSecrets), new WebhookSecrets((await open()).webhookSecrets)];
      expect(await one.get('alpha', 'deploy')).toBeUndefined();
      const first = await one.rotate('alpha', 'deploy');
      expect(first).toMatch(/^whsec_/);
      expect(await two.get('alpha', 'deploy')).toBe(first);
      const second = await two.rotate('alpha', 'deploy');
      expect(second).not.toBe(first);
      expect(await one.get('alpha', 'deploy')).toBe(second);
      expect(await one.get('alpha', 'other')).toBeUndefined();
      expect(await one.get('beta', 'deploy')).toBeUndefined();
    });

    it('deliveries: an id is a first sighting once within the window, and again after it', async () => {
      const deliveries = (await open()).deliveries;
      const windowMs = 600_000;
      const t0 = Date.parse('2026-01-01T00:00:00Z');
      expect(await deliveries.firstSighting('alpha/deploy/1', t0, windowMs)).toBe(true);
      expect(await deliveries.firstSighting('alpha/deploy/1', t0 + 1_000, windowMs)).toBe(false);
      expect(await deliveries.firstSighting('alpha/deploy/2', t0 + 1_000, windowMs)).toBe(true);
      expect(await deliveries.firstSighting('alpha/deploy/1', t0 + windowMs + 1, windowMs)).toBe(true);
      const together = await Promise.all(Array.from({ length: 10 }, () => deliveries.firstSighting('alpha/deploy/3', t0, windowMs)));
      expect(together.filter(Boolean)).toHaveLength(1);
    });

    it('alert switch: off until set, and read back as set by a store opened later', async () => {
      const alertSwitch = new AlertSwitch((await open()).alertSwitch);
      expect(await alertSwitch.get()).toEqual({ paused: false, reason: '', by: 'system', at: new Date(0).toISOString() });
      const paused = await alertSwitch.set(true, 'alert storm', 'ann');
      expect(paused).toMatchObject({ paused: true, reason: 'alert storm', by: 'ann' });
      expect(await alertSwitch.get()).toEqual(paused);
      expect(await new AlertSwitch((await open()).alertSwitch).get()).toEqual(paused);
    });

    it('listings for backups: archived runbooks, runbooks with versions, webhook secrets and reports, each as stored', async () => {
      const store = await open();
      expect(await store.runbooks.listArchived()).toEqual([]);
      expect(await store.versions.runbookIds()).toEqual([]);
      expect(await store.webhookSecrets.list()).toEqual([]);
      expect(await store.reports.list()).toEqual([]);

      await store.runbooks.create('alpha', 'id: alpha\n');
      const archivedAs = await store.runbooks.archive('alpha', '2026-01-01T00-00-00-000Z');
      await store.runbooks.create('alpha', 'id: alpha # again\n');
      await store.runbooks.archive('alpha', '2026-01-02T00-00-00-000Z');
      const other = await open();
      expect(await other.runbooks.listArchived()).toEqual([
        { id: 'alpha', archivedAs, source: 'id: alpha\n' },
        { id: 'alpha', archivedAs: '.archive/alpha.2026-01-02T00-00-00-000Z.yaml', source: 'id: alpha # again\n' },
      ]);
      expect(archivedAs).toBe('.archive/alpha.2026-01-01T00-00-00-000Z.yaml');
      // A restore keeps an archived runbook under its name; the name is not taken twice.
      await other.runbooks.keepArchived({ id: 'beta', archivedAs: '.archive/beta.2025-12-31T00-00-00-000Z.yaml', source: 'id: beta\n' });
      expect((await store.runbooks.listArchived()).map((a) => a.archivedAs)).toEqual([
        '.archive/alpha.2026-01-01T00-00-00-000Z.yaml',
        '.archive/alpha.2026-01-02T00-00-00-000Z.yaml',
        '.archive/beta.2025-12-31T00-00-00-000Z.yaml',
      ]);
      await expect(other.runbooks.keepArchived({ id: 'beta', archivedAs: '.archive/beta.2025-12-31T00-00-00-000Z.yaml', source: 'id: beta\n' })).rejects.toThrow();
      expect(await store.runbooks.list()).toEqual([]);

      const versions = new RunbookVersions(store.versions);
      await versions.record('gamma', 'one\n', 'ann');
      await versions.record('alpha', 'one\n', 'ann');
      expect(await other.versions.runbookIds()).toEqual(['alpha', 'gamma']);

      await store.webhookSecrets.set('alpha', 'deploy', 'whsec_a');
      await store.webhookSecrets.set('alpha', 'build', 'whsec_b');
      await store.webhookSecrets.set('beta', 'deploy', 'whsec_c');
      expect(sortBy(await other.webhookSecrets.list(), (s) => `${s.runbookId}/${s.hook}`)).toEqual([
        { runbookId: 'alpha', hook: 'build', secret: 'whsec_b' },
        { runbookId: 'alpha', hook: 'deploy', secret: 'whsec_a' },
        { runbookId: 'beta', hook: 'deploy', secret: 'whsec_c' },
      ]);

      await store.reports.put('run-1', 'execution-a', sampleReport('run-1'));
      await store.reports.put('run-1', 'execution-b', sampleReport('run-1'));
      expect(sortBy(await other.reports.list(), (r) => r.execution)).toEqual([
        { runId: 'run-1', execution: 'execution-a', report: sampleReport('run-1') },
        { runId: 'run-1', execution: 'execution-b', report: sampleReport('run-1') },
      ]);
    });

    it("schedule overrides: set through the API, one replaces the settings file's for its schedule, read back by a store opened later, and removing it brings the file's back", async () => {
      const drill = 'runwright:dr-drill:weekly';
      const installation = { file: '/etc/runwright/staging.yaml', changedAt: '2026-01-01T00:00:00.000Z', overrides: new Map([[drill, { paused: false, params: { cluster: 'lab' } }]]) };
      const overrides = new ScheduleOverrides((await open()).scheduleOverrides, installation);
      expect(await overrides.appliedTo(drill)).toEqual({ paused: false, params: { cluster: 'lab' }, source: 'settings', by: 'settings:/etc/runwright/staging.yaml', at: '2026-01-01T00:00:00.000Z' });
      expect(await overrides.appliedTo('runwright:backup-verify:nightly')).toBeUndefined();

      await overrides.records.put({ scheduleId: drill, override: { every: '1h' }, by: 'ann', at: '2026-01-02T00:00:00.000Z' });
      await overrides.records.put({ scheduleId: 'runwright:backup-verify:nightly', override: { cron: '*/20 * * * * * *' }, by: 'bob', at: '2026-01-02T00:00:00.000Z' });
      const replaced = { every: '1h', source: 'api', by: 'ann', at: '2026-01-02T00:00:00.000Z', replacesSettings: true };
      expect(await overrides.appliedTo(drill)).toEqual(replaced);
      expect((await overrides.applied()).get(drill)).toEqual(replaced);

      const later = new ScheduleOverrides((await open()).scheduleOverrides, installation);
      expect(await later.appliedTo(drill)).toEqual(replaced);
      expect([...(await later.applied()).keys()].sort()).toEqual(['runwright:backup-verify:nightly', drill]);
      expect(await later.records.remove(drill)).toBe(true);
      expect(await later.records.remove(drill)).toBe(false);
      expect(await later.appliedTo(drill)).toMatchObject({ source: 'settings' });
      expect(await new ScheduleOverrides((await open()).scheduleOverrides, undefined).appliedTo(drill)).toBeUndefined();
    });

    it('reports: put then get, by run and execution, and a stored report that is not this run is not served', async () => {
      const store = await open();
      const cache = new ReportCache(store.reports);
      expect(await cache.get('run-1', 'execution-a')).toBeUndefined();
      await cache.put(sampleReport('run-1'), 'execution-a');
      expect(await cache.get('run-1', 'execution-a')).toEqual(sampleReport('run-1'));
      // A workflow id reused by a later run is another drill.
      expect(await cache.get('run-1', 'execution-b')).toBeUndefined();
      expect(await new ReportCache((await open()).reports).get('run-1', 'execution-a')).toEqual(sampleReport('run-1'));

      await store.reports.put('run-2', 'execution-a', sampleReport('run-3'));
      expect(await cache.get('run-2', 'execution-a')).toBeUndefined();
    });
  });
}
