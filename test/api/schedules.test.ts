import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleViewSchema, type ScheduleView } from '@runwright/runbook';
import { startApiStack, type ApiStack } from '../support/api-stack.js';
import { eventually } from '../support/eventually.js';
import { writeRunbookFile } from '../support/runbooks-folder.js';

// No worker: triggered runs only need to exist, so the test pins the schedule plumbing.
const taskQueue = `schedules-no-worker-${process.pid}`;
const runbookId = `drill-${process.pid}`;
const scheduleId = `runwright:${runbookId}:weekly`;
let stack: ApiStack;

function writeRunbook(schedule: Record<string, unknown>) {
  writeRunbookFile(stack.folder, {
    id: runbookId,
    title: 'Restore drill',
    parameters: { target: { type: 'string' } },
    triggers: { schedules: [{ name: 'weekly', params: { target: 'staging' }, ...schedule }] },
    nodes: [{ id: 'restore', kind: 'checkpoint', config: { title: 'Restored?' } }],
  });
}

const mine = async (): Promise<ScheduleView | undefined> =>
  (await stack.api.call('GET', '/api/schedules', undefined, stack.api.tokens.viewer)).body.schedules.map((s: unknown) => scheduleViewSchema.parse(s)).find((s: ScheduleView) => s.scheduleId === scheduleId);

beforeAll(async () => {
  stack = await startApiStack({ worker: false, taskQueue, runbooks: {} });
});
afterAll(async () => {
  await stack?.env.client.schedule.getHandle(scheduleId).delete().catch(() => undefined);
  await stack?.stop();
});

describe('schedules kept in step with the runbook files', () => {
  it('creates, updates and deletes the Temporal Schedule as the file changes, with explicit overlap and catch-up', async () => {
    writeRunbook({ cron: '0 3 * * 1', overlap: 'skip', catchupWindow: '15m' });
    const first = await stack.api.call('POST', '/api/schedules/sync');
    expect(first.body).toMatchObject({ created: [scheduleId], updated: [], deleted: [], problems: [] });
    expect(await mine()).toMatchObject({ runbookId, name: 'weekly', cron: ['0 3 * * 1'], paused: false, overlap: 'SKIP', catchupWindowSeconds: 900 });
    expect((await mine())!.nextRunsAt.length).toBeGreaterThan(0);

    expect((await stack.api.call('POST', '/api/schedules/sync')).body).toMatchObject({ created: [], updated: [], deleted: [] });

    expect((await stack.api.call('POST', `/api/schedules/${scheduleId}/pause`, { paused: true, note: 'freeze week' }, stack.api.tokens.operator)).body).toMatchObject({ paused: true, note: 'paused by operator: freeze week' });
    writeRunbook({ cron: '30 4 * * 2', overlap: 'bufferOne', catchupWindow: '1h' });
    expect((await stack.api.call('POST', '/api/schedules/sync')).body).toMatchObject({ created: [], updated: [scheduleId], deleted: [] });
    // The file's change applies; the operator's pause stays.
    expect(await mine()).toMatchObject({ cron: ['30 4 * * 2'], overlap: 'BUFFER_ONE', catchupWindowSeconds: 3600, paused: true });

    writeRunbook({ cron: '30 4 * * 2', params: { target: 42 } });
    expect((await stack.api.call('POST', '/api/schedules/sync')).body.problems).toEqual([{ scheduleId, path: 'params.target', message: expect.stringMatching(/^params.target: /) }]);
    // Kept as it was (paused, the last valid cron) until the file is fixed.
    expect(await mine()).toMatchObject({ cron: ['30 4 * * 2'], overlap: 'BUFFER_ONE', paused: true });

    unlinkSync(join(stack.folder, `${runbookId}.yaml`));
    expect((await stack.api.call('POST', '/api/schedules/sync')).body).toMatchObject({ deleted: [scheduleId] });
    expect(await mine()).toBeUndefined();
  });

  it('triggers a scheduled run now, started as the schedule with its parameters', async () => {
    writeRunbook({ cron: '0 3 1 1 *' });
    await stack.api.call('POST', '/api/schedules/sync');
    expect((await stack.api.call('POST', `/api/schedules/${scheduleId}/trigger`, undefined, stack.api.tokens.viewer)).status).toBe(403);
    const triggered = await stack.api.call('POST', `/api/schedules/${scheduleId}/trigger`, undefined, stack.api.tokens.operator);
    expect(triggered.status).toBe(202);

    const runs: { runId: string; trigger: string }[] = await eventually(
      async () => (await stack.api.call('GET', `/api/runs?runbookId=${runbookId}&trigger=schedule`)).body.runs,
      (listed) => listed.length > 0,
      { what: 'the triggered run listed', attempts: 100 },
    );
    expect(runs).toHaveLength(1);
    expect(runs[0]!.runId).toMatch(new RegExp(`^schedule-${runbookId}-weekly`));
    const { events } = (await stack.api.call('GET', `/api/runs/${runs[0]!.runId}/events`)).body;
    expect(events[0].details).toMatchObject({ params: { target: 'staging' }, trigger: { type: 'schedule', by: 'schedule:weekly', scheduleId } });
    expect((await stack.api.call('POST', '/api/schedules/runwright:no-such:thing/trigger')).status).toBe(404);
    expect((await stack.api.call('POST', '/api/schedules/not-ours/trigger')).status).toBe(400);
  });
});
