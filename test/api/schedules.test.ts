import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { scheduleViewSchema, type ScheduleView } from '@runwright/runbook';
import { startApiServer } from '../support/api-server.js';
import { connectToTestServer } from '../support/temporal.js';

// No worker: triggered runs only need to exist, so the test pins the schedule plumbing.
const taskQueue = `schedules-no-worker-${process.pid}`;
const runbookId = `drill-${process.pid}`;
const scheduleId = `runwright:${runbookId}:weekly`;
let env: TestWorkflowEnvironment;
let api: Awaited<ReturnType<typeof startApiServer>>;
let folder: string;

function writeRunbook(schedule: Record<string, unknown>) {
  writeFileSync(
    join(folder, `${runbookId}.yaml`),
    stringify({
      id: runbookId,
      title: 'Restore drill',
      parameters: { target: { type: 'string' } },
      triggers: { schedules: [{ name: 'weekly', params: { target: 'staging' }, ...schedule }] },
      nodes: [{ id: 'restore', kind: 'checkpoint', config: { title: 'Restored?' } }],
    }),
  );
}

const mine = async (): Promise<ScheduleView | undefined> =>
  (await api.call('GET', '/api/schedules', undefined, api.tokens.viewer)).body.schedules.map((s: unknown) => scheduleViewSchema.parse(s)).find((s: ScheduleView) => s.scheduleId === scheduleId);

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'runwright-schedule-runbooks-'));
  env = await connectToTestServer();
  api = await startApiServer(env, { taskQueue, runbooks: folder });
});
afterAll(async () => {
  await env?.client.schedule.getHandle(scheduleId).delete().catch(() => undefined);
  if (env) {
    for await (const run of env.client.workflow.list({ query: `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'` })) {
      await env.client.workflow.getHandle(run.workflowId).terminate('test cleanup');
    }
  }
  await api?.close();
  await env?.teardown();
  rmSync(folder, { recursive: true, force: true });
});

describe('schedules kept in step with the runbook files', () => {
  it('creates, updates and deletes the Temporal Schedule as the file changes, with explicit overlap and catch-up', async () => {
    writeRunbook({ cron: '0 3 * * 1', overlap: 'skip', catchupWindow: '15m' });
    const first = await api.call('POST', '/api/schedules/sync');
    expect(first.body).toMatchObject({ created: [scheduleId], updated: [], deleted: [], problems: [] });
    expect(await mine()).toMatchObject({ runbookId, name: 'weekly', cron: ['0 3 * * 1'], paused: false, overlap: 'SKIP', catchupWindowSeconds: 900 });
    expect((await mine())!.nextRunsAt.length).toBeGreaterThan(0);

    expect((await api.call('POST', '/api/schedules/sync')).body).toMatchObject({ created: [], updated: [], deleted: [] });

    expect((await api.call('POST', `/api/schedules/${scheduleId}/pause`, { paused: true, note: 'freeze week' }, api.tokens.operator)).body).toMatchObject({ paused: true, note: 'paused by operator: freeze week' });
    writeRunbook({ cron: '30 4 * * 2', overlap: 'bufferOne', catchupWindow: '1h' });
    expect((await api.call('POST', '/api/schedules/sync')).body).toMatchObject({ created: [], updated: [scheduleId], deleted: [] });
    // The file's change applies; the operator's pause stays.
    expect(await mine()).toMatchObject({ cron: ['30 4 * * 2'], overlap: 'BUFFER_ONE', catchupWindowSeconds: 3600, paused: true });

    writeRunbook({ cron: '30 4 * * 2', params: { target: 42 } });
    expect((await api.call('POST', '/api/schedules/sync')).body.problems).toEqual([{ scheduleId, message: expect.stringMatching(/target/) }]);
    expect(await mine()).toBeDefined();

    unlinkSync(join(folder, `${runbookId}.yaml`));
    expect((await api.call('POST', '/api/schedules/sync')).body).toMatchObject({ deleted: [scheduleId] });
    expect(await mine()).toBeUndefined();
  });

  it('triggers a scheduled run now, started as the schedule with its parameters', async () => {
    writeRunbook({ cron: '0 3 1 1 *' });
    await api.call('POST', '/api/schedules/sync');
    expect((await api.call('POST', `/api/schedules/${scheduleId}/trigger`, undefined, api.tokens.viewer)).status).toBe(403);
    const triggered = await api.call('POST', `/api/schedules/${scheduleId}/trigger`, undefined, api.tokens.operator);
    expect(triggered.status).toBe(202);

    let runs: { runId: string; trigger: string }[] = [];
    for (let i = 0; i < 100 && runs.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      runs = (await api.call('GET', `/api/runs?runbookId=${runbookId}&trigger=schedule`)).body.runs;
    }
    expect(runs).toHaveLength(1);
    expect(runs[0]!.runId).toMatch(new RegExp(`^schedule-${runbookId}-weekly`));
    const { events } = (await api.call('GET', `/api/runs/${runs[0]!.runId}/events`)).body;
    expect(events[0].details).toMatchObject({ params: { target: 'staging' }, trigger: { type: 'schedule', by: 'schedule:weekly', scheduleId } });
    expect((await api.call('POST', '/api/schedules/runwright:no-such:thing/trigger')).status).toBe(404);
    expect((await api.call('POST', '/api/schedules/not-ours/trigger')).status).toBe(400);
  });
});
