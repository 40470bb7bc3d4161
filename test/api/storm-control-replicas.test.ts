import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { AlertDecision } from '@runwright/runbook';
import { startApiServer } from '../support/api-server.js';
import { temporaryRunbooks, type TemporaryRunbooks } from '../support/runbooks-folder.js';
import { terminateRunning } from '../support/running-workflows.js';
import { connectToTestServer } from '../support/temporal.js';

// No worker: alert-started runs just wait, so "running" is under the test's control.
const taskQueue = `storm-replicas-no-worker-${process.pid}`;
const runbookId = `storm-${process.pid}`;
let env: TestWorkflowEnvironment;
/** Two API replicas: separate processes' worth of state (stores, storm control), one Temporal. */
let replicas: Awaited<ReturnType<typeof startApiServer>>[] = [];
let runbooks: TemporaryRunbooks | undefined;
const tokens: string[] = [];

beforeAll(async () => {
  runbooks = temporaryRunbooks();
  runbooks.write(
    `${runbookId}.yaml`,
    stringify({
      id: runbookId,
      title: 'Storm',
      parameters: { host: { type: 'string' } },
      triggers: {
        alerts: [{ name: 'storm', match: [{ label: 'alertname', value: `Storm${process.pid}` }], params: { host: '{{ alert.labels.instance }}' } }],
        alertLimits: { maxConcurrent: 2, maxStarts: 3, window: '1h' },
      },
      nodes: [{ id: 'decide', kind: 'checkpoint', config: { title: 'Remediated?' } }],
    }),
  );
  env = await connectToTestServer();
  replicas = [await startApiServer(env, { taskQueue, runbooks: runbooks.folder }), await startApiServer(env, { taskQueue, runbooks: runbooks.folder })];
  for (const api of replicas) tokens.push(api.tokenStore.create({ user: 'alertmanager', roles: ['operator'], createdBy: 'test' }).token);
});

afterAll(async () => {
  if (env) await terminateRunning(env, taskQueue);
  await Promise.all(replicas.map((api) => api.close()));
  await env?.teardown();
  runbooks?.remove();
});

let sequence = 0;
async function fire(replica: 0 | 1, instance: string): Promise<AlertDecision> {
  sequence++;
  const body = {
    version: '4',
    groupKey: 'storm',
    status: 'firing',
    receiver: 'runwright',
    alerts: [
      {
        status: 'firing',
        labels: { alertname: `Storm${process.pid}`, instance },
        annotations: {},
        startsAt: '2026-11-27T03:00:00Z',
        endsAt: '0001-01-01T00:00:00Z',
        fingerprint: `${sequence.toString(16).padStart(6, '0')}${process.pid.toString(16)}`,
      },
    ],
  };
  const { status, body: answer } = await replicas[replica]!.call('POST', '/api/hooks/alertmanager', body, tokens[replica]!);
  expect(status).toBe(200);
  return answer.decisions[0];
}

/** Waits until a replica's visibility shows `count` alert-started runs matching `status`. */
async function visibleTo(replica: 0 | 1, count: number, status?: string): Promise<string[]> {
  let ids: string[] = [];
  for (let i = 0; i < 200; i++) {
    const { body } = await replicas[replica]!.call('GET', `/api/runs?runbookId=${runbookId}&trigger=alert${status ? `&status=${status}` : ''}`);
    ids = body.runs.map((r: { runId: string }) => r.runId);
    if (ids.length === count) return ids;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`replica ${replica} never saw ${count} runs; saw ${ids.length}`);
}

describe('storm control across API replicas', () => {
  it('counts concurrent runs and the rate window through Temporal visibility, so replicas agree', async () => {
    expect((await fire(0, 'a')).decision).toBe('started');
    expect((await fire(1, 'b')).decision).toBe('started');
    // Replica 0 started one run itself; the second it knows only from visibility.
    await visibleTo(0, 2, 'Running');
    const third = await fire(0, 'c');
    expect(third).toMatchObject({ decision: 'suppressed', reason: expect.stringMatching(/2 alert-started runs .* running \(maxConcurrent 2\)/) });

    // Both end: concurrency frees up, but the rate window still holds their starts.
    for (const runId of await visibleTo(0, 2, 'Running')) await env.client.workflow.getHandle(runId).terminate('ended');
    await visibleTo(0, 0, 'Running');
    await visibleTo(1, 0, 'Running');
    expect((await fire(1, 'd')).decision).toBe('started');
    await visibleTo(0, 3);
    // Replica 0 itself started only one run in the window: the breaker opens on the three visibility shows.
    const fifth = await fire(0, 'e');
    expect(fifth).toMatchObject({ decision: 'suppressed', reason: expect.stringMatching(/breaker open: 3 alert-started runs/) });
    expect(await visibleTo(1, 3)).toHaveLength(3);
  });
});
