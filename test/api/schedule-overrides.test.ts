import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleViewSchema, type ScheduleView } from '@runwright/runbook';
import { matchingTimes } from '../../apps/api/src/schedules/backfill.js';
import { startApiServer } from '../support/api-server.js';
import { startApiStack, type ApiServer, type ApiStack } from '../support/api-stack.js';
import { runwright } from '../support/cli.js';
import { eventually } from '../support/eventually.js';
import { runbooksFolder } from '../support/runbooks.js';
import { terminateRunning } from '../support/running-workflows.js';

// No worker: a fired run only has to exist, with the parameters and trigger it was started with.
// The shipped backup-verify and dr-drill files under ids of this test, so their schedules are
// exactly the shipped ones and no other test's sync of the shipped folder meets them.
const taskQueue = `overrides-no-worker-${process.pid}`;
const nightlyRunbook = `backup-verify-${process.pid}`;
const drillRunbook = `dr-drill-${process.pid}`;
const nightly = `runwright:${nightlyRunbook}:nightly`;
const drill = `runwright:${drillRunbook}:weekly`;
const shippedAs = (id: string, as: string) => readFileSync(join(runbooksFolder, `${id}.yaml`), 'utf8').replace(new RegExp(`^id: ${id}$`, 'm'), `id: ${as}`);

const dataDir = mkdtempSync(join(tmpdir(), 'runwright-overrides-data-'));
const overridesFile = join(mkdtempSync(join(tmpdir(), 'runwright-overrides-')), 'schedule-overrides.yaml');
const settings = { RUNWRIGHT_DATA_DIR: dataDir, RUNWRIGHT_SCHEDULE_OVERRIDES: overridesFile };
let stack: ApiStack;
/** The API under test; replaced by a second one when the test restarts it. */
let api: ApiServer;
let restarted: ApiServer | undefined;

const backupDefaults = { dbHost: 'pg-b.db.internal', database: 'shop', dbUser: 'backup', targetDir: '/var/backups/postgres', minFreeMb: 10240, notifyWebhookUrl: 'https://hooks.internal/runwright/backups' };

beforeAll(async () => {
  // The installation's file: this staging lab drills on its own hosts, unpaused, every day at 04:00.
  writeFileSync(overridesFile, `# staging lab\n${drillRunbook}/weekly:\n  cron: "0 4 * * *"\n  paused: false\n  params: { cluster: lab, primaryHost: 127.0.10.1 }\n  reason: staging lab drills\n`);
  stack = await startApiStack({
    worker: false,
    taskQueue,
    settings,
    runbooks: { files: { [`${nightlyRunbook}.yaml`]: shippedAs('backup-verify', nightlyRunbook), [`${drillRunbook}.yaml`]: shippedAs('dr-drill', drillRunbook) }, copy: ['postgres-failover'] },
  });
  api = stack.api;
  expect((await api.call('POST', '/api/schedules/sync')).body).toMatchObject({ created: [nightly, drill], problems: [] });
});

afterAll(async () => {
  for (const id of [nightly, drill]) await stack?.env.client.schedule.getHandle(id).delete().catch(() => undefined);
  await restarted?.close();
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(join(overridesFile, '..'), { recursive: true, force: true });
});

async function listed(id: string, token = api.tokens.viewer): Promise<ScheduleView> {
  const { body } = await api.call('GET', '/api/schedules', undefined, token);
  return scheduleViewSchema.parse(body.schedules.find((s: ScheduleView) => s.scheduleId === id));
}

const override = (id: string, body: unknown, token = api.tokens.admin) => api.call('PUT', `/api/schedules/${id}/override`, body, token);
const clear = (id: string, token = api.tokens.admin) => api.call('DELETE', `/api/schedules/${id}/override`, undefined, token);
const scheduledRuns = async (runbookId: string): Promise<{ runId: string }[]> => (await api.call('GET', `/api/runs?runbookId=${runbookId}&trigger=schedule`)).body.runs;
const audit = async (action: string) => (await api.call('GET', `/api/audit?action=${encodeURIComponent(action)}&limit=100`)).body.records as { actor: { user: string }; outcome: string; status?: number; target: Record<string, string>; details?: Record<string, any> }[];

describe('schedule overrides per installation', () => {
  it("applies the settings file's override: the shipped, paused weekly drill runs unpaused on this lab's cron and parameters", async () => {
    const view = await listed(drill);
    expect(view).toMatchObject({
      cron: ['0 4 * * *'],
      timezone: 'UTC',
      paused: false,
      params: { cluster: 'lab', primaryHost: '127.0.10.1', standbyHost: 'pg-b.db.internal' },
      own: { cron: '0 10 * * 3', timezone: 'UTC', params: { cluster: 'main', primaryHost: 'pg-a.db.internal' }, paused: true },
      override: { source: 'settings', by: `settings:${overridesFile}`, cron: '0 4 * * *', paused: false, reason: 'staging lab drills' },
      overlap: 'SKIP',
      catchupWindowSeconds: 1800,
    });
    // The shipped nightly backup is untouched by it: once a night, as Temporal computes it.
    expect(await listed(nightly)).toMatchObject({ cron: ['30 2 * * *'], paused: false, own: { cron: '30 2 * * *', params: backupDefaults }, catchupWindowSeconds: 7200 });
    expect((await listed(nightly)).override).toBeUndefined();
    const week = await matchingTimes(stack.env.client, nightly, new Date('2027-01-04T00:00:00Z'), new Date('2027-01-11T00:00:00Z'));
    expect(week.map((t) => t.toISOString())).toEqual([4, 5, 6, 7, 8, 9, 10].map((day) => `2027-01-${String(day).padStart(2, '0')}T02:30:00.000Z`));
    expect(await audit('scheduleOverride.applied')).toContainEqual(
      expect.objectContaining({ actor: expect.objectContaining({ user: 'system' }), target: { scheduleId: drill }, details: expect.objectContaining({ source: 'settings', before: null }) }),
    );
  });

  it("fires a shipped schedule by the clock with the override's parameters, and the run records the override", async () => {
    const set = await override(nightly, { every: '20s', params: { dbHost: '127.0.10.5', targetDir: '/tmp/lab-backups' }, reason: 'lab backups' });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({
      scheduleId: nightly,
      cron: [],
      every: '20s',
      paused: false,
      params: { ...backupDefaults, dbHost: '127.0.10.5', targetDir: '/tmp/lab-backups' },
      own: { cron: '30 2 * * *' },
      override: { source: 'api', by: 'bootstrap', every: '20s', params: { dbHost: '127.0.10.5', targetDir: '/tmp/lab-backups' } },
    });
    const { at } = set.body.override;

    const [run] = await eventually(() => scheduledRuns(nightlyRunbook), (runs) => runs.length > 0, { what: 'a run started by the overridden schedule', attempts: 600 });
    // Temporal names a scheduled run by the schedule's workflow id and the time it was due.
    expect(run!.runId).toMatch(new RegExp(`^schedule-${nightlyRunbook}-nightly-\\d{4}-\\d\\d-\\d\\dT`));
    const { events } = (await api.call('GET', `/api/runs/${run!.runId}/events`)).body;
    expect(events[0].details.params).toEqual({ ...backupDefaults, dbHost: '127.0.10.5', targetDir: '/tmp/lab-backups' });
    expect(events[0].details.trigger).toEqual({
      type: 'schedule',
      by: 'schedule:nightly',
      scheduleId: nightly,
      override: { source: 'api', by: 'bootstrap', at, fields: ['every', 'params'], reason: 'lab backups' },
    });
    // By the clock: nobody asked for a run now.
    expect((await audit('triggerSchedule')).filter((r) => r.target.scheduleId === nightly)).toEqual([]);
    // Overlap is skip: with no worker the run stays open, so it is ended for the next test's tick.
    await stack.env.client.workflow.getHandle(run!.runId).terminate('test: seen');
  });

  it('refuses a bad override with the path of what is wrong, and keeps the one in force', async () => {
    const before = await listed(nightly);
    const cases: [unknown, string][] = [
      [{ params: { minFreeMb: 'lots' } }, 'body.params.minFreeMb'],
      [{ params: { dbHots: 'typo' } }, 'body.params.dbHots'],
      [{ cron: '61 * * * *' }, 'body.cron'],
      [{ cron: '* * * * *', every: '1m' }, 'body.every'],
      [{ every: 'often' }, 'body.every'],
      [{ timezone: 'Mars/Olympus_Mons' }, 'body.timezone'],
      [{ reason: 'changes nothing' }, 'body'],
      [{ params: { dbHost: 'x' }, colour: 'red' }, 'body'],
    ];
    for (const [body, path] of cases) {
      const answer = await override(nightly, body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error).toBe('validation_error');
      expect(answer.body.details.map((d: { path: string }) => d.path), JSON.stringify(answer.body)).toContain(path);
    }
    expect(await listed(nightly)).toMatchObject({ every: before.every, params: before.params, override: { at: before.override!.at } });

    expect((await override(`runwright:${nightlyRunbook}:hourly`, { every: '1m' })).status).toBe(404);
    expect((await override('runwright:no-such-runbook:nightly', { every: '1m' })).status).toBe(404);
    for (const token of [api.tokens.viewer, api.tokens.operator, api.tokens.approver]) {
      expect((await override(nightly, { every: '1m' }, token)).status).toBe(403);
      expect((await clear(nightly, token)).status).toBe(403);
    }
    expect((await listed(nightly)).override?.at).toBe(before.override!.at);
  });

  it("clears back to the runbook's own schedule, and an API override takes the settings file's place until cleared", async () => {
    const paused = await override(nightly, { paused: true, reason: 'freeze week' });
    expect(paused.body).toMatchObject({ paused: true, note: 'paused by the schedule override of bootstrap: freeze week', cron: ['30 2 * * *'] });

    const cleared = await clear(nightly);
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ scheduleId: nightly, now: 'runbook', schedule: { cron: ['30 2 * * *'], timezone: 'UTC', paused: false, params: backupDefaults } });
    expect(cleared.body.schedule.override).toBeUndefined();
    expect(cleared.body.schedule.every).toBeUndefined();
    expect((await clear(nightly)).status).toBe(404);

    // The drill's override comes from the settings file: the API cannot clear that one…
    const fromFile = await clear(drill);
    expect(fromFile.status).toBe(404);
    expect(fromFile.body.message).toContain(overridesFile);
    // …but one set through the API replaces it whole: neither the file's parameters nor its
    // unpausing carry over, so the runbook's own (paused) state is back…
    const replaced = await override(drill, { every: '1h', reason: 'hourly for a day' });
    expect(replaced.body).toMatchObject({ every: '1h', params: { cluster: 'main', primaryHost: 'pg-a.db.internal' }, override: { source: 'api', replacesSettings: true }, paused: true, note: 'paused in the runbook file' });
    // …until it is cleared, which brings the file's back, unpausing as it did.
    const back = await clear(drill);
    expect(back.body).toMatchObject({ now: 'settings', schedule: { cron: ['0 4 * * *'], params: { cluster: 'lab' }, override: { source: 'settings' }, paused: false } });
  });

  it('keeps overrides across an API restart, over a runbook file edited meanwhile', async () => {
    const set = await override(nightly, { cron: '15 3 * * *', timezone: 'Europe/Berlin', params: { database: 'orders' } });
    expect(set.status).toBe(200);
    const { at } = set.body.override;

    // Someone pauses the drill (its owners are `sre`: an admin here); the settings file is rewritten unchanged (a redeploy).
    expect((await api.call('POST', `/api/schedules/${drill}/pause`, { paused: true, note: 'lab down' })).status).toBe(200);
    const appliedBefore = (await audit('scheduleOverride.applied')).length;
    await api.close();
    writeFileSync(join(stack.folder, `${nightlyRunbook}.yaml`), shippedAs('backup-verify', nightlyRunbook).replace('cron: "30 2 * * *"', 'cron: "45 1 * * *"'));
    writeFileSync(overridesFile, readFileSync(overridesFile, 'utf8'));
    utimesSync(overridesFile, new Date(), new Date(Date.now() + 60_000));
    restarted = await startApiServer(stack.env, { taskQueue, runbooks: stack.folder, settings });
    api = restarted;
    // What the API does when it starts.
    const synced = (await api.call('POST', '/api/schedules/sync')).body;
    expect(synced.updated).toContain(nightly);
    expect(synced.problems).toEqual([]);

    expect(await listed(nightly)).toMatchObject({
      cron: ['15 3 * * *'],
      timezone: 'Europe/Berlin',
      params: { ...backupDefaults, database: 'orders' },
      own: { cron: '45 1 * * *', timezone: 'UTC' },
      override: { source: 'api', by: 'bootstrap', at },
    });
    // The same file is no new override: the pause stands. Neither override changed, so nothing new is audited.
    expect(await listed(drill)).toMatchObject({ paused: true, note: 'paused by bootstrap: lab down', override: { source: 'settings' } });
    expect(synced.updated).toContain(drill);
    expect((await audit('scheduleOverride.applied')).length).toBe(appliedBefore);
  });

  it('audits every change with who made it and what it replaced, refusals included', async () => {
    const sets = await audit('setScheduleOverride');
    expect(sets).toContainEqual(
      expect.objectContaining({ actor: expect.objectContaining({ user: 'bootstrap' }), outcome: 'ok', target: { scheduleId: nightly }, details: { before: null, after: { every: '20s', params: { dbHost: '127.0.10.5', targetDir: '/tmp/lab-backups' }, reason: 'lab backups' } } }),
    );
    expect(sets).toContainEqual(
      expect.objectContaining({ outcome: 'ok', details: expect.objectContaining({ before: expect.objectContaining({ by: 'bootstrap', override: expect.objectContaining({ every: '20s' }) }), after: { paused: true, reason: 'freeze week' } }) }),
    );
    expect(sets).toContainEqual(expect.objectContaining({ outcome: 'failed', status: 400, details: expect.objectContaining({ after: { cron: '61 * * * *' } }) }));
    expect(sets).toContainEqual(expect.objectContaining({ actor: expect.objectContaining({ user: 'viewer' }), outcome: 'denied', status: 403 }));
    expect(await audit('clearScheduleOverride')).toContainEqual(
      expect.objectContaining({ outcome: 'ok', target: { scheduleId: nightly }, details: { before: expect.objectContaining({ override: { paused: true, reason: 'freeze week' } }), after: null } }),
    );
    // What Temporal runs changed too, recorded as the sync applied it.
    const applied = (await audit('scheduleOverride.applied')).filter((r) => r.target.scheduleId === nightly);
    expect(applied.length).toBeGreaterThanOrEqual(4);
    const chain = (await api.call('GET', '/api/audit?limit=1')).body.chain;
    expect(chain).toMatchObject({ ok: true });
  });

  it('`runwright schedules override` sets an override that fires by the clock, shows it, and clears it', async () => {
    await clear(nightly);
    // A run the 20 s interval started meanwhile would make the next tick skip (overlap: skip).
    await terminateRunning(stack.env, taskQueue);
    const refused = await runwright(api, ['schedules', 'override', `${nightlyRunbook}/nightly`, '--every', '30s'], api.tokens.viewer);
    expect(refused).toMatchObject({ code: 2, stderr: expect.stringMatching(/forbidden \(HTTP 403\)/) });
    const bad = await runwright(api, ['schedules', 'override', `${nightlyRunbook}/nightly`, '-j', 'minFreeMb="plenty"'], api.tokens.admin);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/body\.params\.minFreeMb: /);

    const set = await runwright(api, ['schedules', 'override', `${nightlyRunbook}/nightly`, '--cron', '*/20 * * * * * *', '-p', 'dbHost=127.0.10.9', '-j', 'minFreeMb=1', '--reason', 'cli lab'], api.tokens.admin);
    expect(set.code, set.stderr).toBe(0);
    const lines = set.stdout.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^${nightly}: overridden; \\*/20 \\* \\* \\* \\* \\* \\* UTC, active, next at \\d{4}-`));
    expect(lines).toContain('  when: 45 1 * * * -> */20 * * * * * *');
    expect(lines).toContain('  params.dbHost: pg-b.db.internal -> 127.0.10.9');
    expect(lines).toContain('  params.minFreeMb: 10240 -> 1');

    const list = await runwright(api, ['schedules'], api.tokens.viewer);
    expect(list.stdout).toMatch(new RegExp(`${nightly}\\s+active\\s+\\*/20 \\* \\* \\* \\* \\* \\* UTC\\s.*\\sby bootstrap at \\d{4}-`));

    // A cron with seconds fires within 20 s, with the CLI's parameters.
    const fired = await eventually(
      async () => {
        for (const { runId } of await scheduledRuns(nightlyRunbook)) {
          const { events } = (await api.call('GET', `/api/runs/${runId}/events`)).body;
          if (events[0]?.details.trigger.override?.reason === 'cli lab') return events[0].details;
        }
        return undefined;
      },
      (details) => details !== undefined,
      { what: 'a run started by the schedule the CLI overrode', attempts: 600 },
    );
    expect(fired.params).toMatchObject({ dbHost: '127.0.10.9', minFreeMb: 1 });
    expect(fired.trigger.override).toMatchObject({ source: 'api', fields: ['cron', 'params'] });

    const cleared = await runwright(api, ['schedules', 'override', nightly, '--clear'], api.tokens.admin);
    expect(cleared).toMatchObject({ code: 0, stdout: expect.stringMatching(new RegExp(`^${nightly}: override cleared; it runs on the runbook's own schedule \\(45 1 \\* \\* \\* UTC, next at `)) });
    const again = await runwright(api, ['schedules', 'override', nightly, '--clear', '--every', '1m'], api.tokens.admin);
    expect(again).toMatchObject({ code: 2, stderr: expect.stringContaining('--clear takes no other override options') });
  });
});
