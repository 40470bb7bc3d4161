import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiStack, type ApiStack } from '../support/api-stack.js';
import { eventually } from '../support/eventually.js';
import { writeRunbookFile } from '../support/runbooks-folder.js';

// No worker: backfilled runs only need to exist, so the test pins what Temporal was asked to start.
const taskQueue = `backfill-no-worker-${process.pid}`;
const runbookId = `hourly-${process.pid}`;
const scheduleId = `runwright:${runbookId}:hourly`;
const hourMs = 3_600_000;
let stack: ApiStack;

beforeAll(async () => {
  stack = await startApiStack({ worker: false, taskQueue, runbooks: {} });
  writeRunbookFile(stack.folder, {
    id: runbookId,
    title: 'Hourly check',
    // A catch-up window far shorter than the backfill: backfills are not bound by it.
    triggers: { schedules: [{ name: 'hourly', cron: '0 * * * *', overlap: 'skip', catchupWindow: '1m' }] },
    nodes: [{ id: 'look', kind: 'checkpoint', config: { title: 'Looked?' } }],
  });
  expect((await stack.api.call('POST', '/api/schedules/sync')).body.created).toEqual([scheduleId]);
});

afterAll(async () => {
  await stack?.env.client.schedule.getHandle(scheduleId).delete().catch(() => undefined);
  await stack?.stop();
});

async function scheduledRuns(): Promise<{ runId: string; trigger: string }[]> {
  return (await stack.api.call('GET', `/api/runs?runbookId=${runbookId}&trigger=schedule&limit=100`)).body.runs;
}

describe('POST /api/schedules/:scheduleId/backfill', () => {
  it('starts one run per scheduled time in a past window', async () => {
    const hour = Math.floor(Date.now() / hourMs) * hourMs;
    // 5½ hours ending half an hour ago: the hours H-5 … H-1 match.
    const start = new Date(hour - 5.5 * hourMs);
    const end = new Date(hour - 0.5 * hourMs);
    const expected = [5, 4, 3, 2, 1].map((n) => new Date(hour - n * hourMs).toISOString().replace('.000Z', 'Z'));

    const answer = await stack.api.call('POST', `/api/schedules/${scheduleId}/backfill`, { start: start.toISOString(), end: end.toISOString(), overlap: 'ALLOW_ALL' }, stack.api.tokens.operator);
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({ scheduleId, start: start.toISOString(), end: end.toISOString(), overlap: 'ALLOW_ALL', scheduledTimes: 5 });

    const runs: { runId: string }[] = await eventually(scheduledRuns, (listed) => listed.length >= 5, { what: 'five backfilled runs listed', attempts: 200 });
    // Temporal names each scheduled run by the schedule's workflow id and its scheduled time.
    expect(runs.map((r) => r.runId).sort()).toEqual(expected.map((t) => `schedule-${runbookId}-hourly-${t}`));
    await new Promise((r) => setTimeout(r, 500));
    expect(await scheduledRuns()).toHaveLength(5);

    const audit = await stack.api.call('GET', '/api/audit?action=backfillSchedule&limit=10');
    expect(audit.body.records).toContainEqual(expect.objectContaining({ actor: expect.objectContaining({ user: 'operator' }), outcome: 'ok', target: { scheduleId } }));
  });

  it('refuses empty, future and oversized windows with 400 naming the field, and starts nothing', async () => {
    const now = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    const cases: [Record<string, unknown>, string][] = [
      [{ start: iso(now - hourMs), end: iso(now - hourMs) }, 'body.end'],
      [{ start: iso(now - hourMs), end: iso(now - 2 * hourMs) }, 'body.end'],
      [{ start: iso(now - hourMs), end: iso(now + hourMs) }, 'body.end'],
      [{ start: iso(now - 40 * 24 * hourMs), end: iso(now - hourMs) }, 'body.start'],
      [{ start: 'yesterday', end: iso(now - hourMs) }, 'body.start'],
      [{ start: iso(now - 2 * hourMs), end: iso(now - hourMs), overlap: 'SOMETIMES' }, 'body.overlap'],
    ];
    const before = (await scheduledRuns()).length;
    for (const [body, path] of cases) {
      const { status, body: error } = await stack.api.call('POST', `/api/schedules/${scheduleId}/backfill`, body, stack.api.tokens.operator);
      expect(status, JSON.stringify(body)).toBe(400);
      expect(error.error).toBe('validation_error');
      expect(error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    expect((await scheduledRuns()).length).toBe(before);
  });

  it('is refused to a viewer and answers 404 for an unknown schedule', async () => {
    const window = { start: new Date(Date.now() - 3 * hourMs).toISOString(), end: new Date(Date.now() - 2 * hourMs).toISOString() };
    expect((await stack.api.call('POST', `/api/schedules/${scheduleId}/backfill`, window, stack.api.tokens.viewer)).status).toBe(403);
    expect((await stack.api.call('POST', `/api/schedules/runwright:no-such:thing/backfill`, window, stack.api.tokens.operator)).status).toBe(404);
  });

  it('pauses and unpauses with a note saying who and why', async () => {
    const paused = await stack.api.call('POST', `/api/schedules/${scheduleId}/pause`, { paused: true, note: 'maintenance' }, stack.api.tokens.operator);
    expect(paused.body).toMatchObject({ paused: true, note: 'paused by operator: maintenance' });
    const unpaused = await stack.api.call('POST', `/api/schedules/${scheduleId}/pause`, { paused: false, note: 'done' }, stack.api.tokens.operator);
    expect(unpaused.status).toBe(200);
    expect(unpaused.body).toMatchObject({ paused: false, note: 'unpaused by operator: done' });
    expect((await stack.env.client.schedule.getHandle(scheduleId).describe()).state.paused).toBe(false);
  });
});
