import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { AlertDecision } from '@runwright/runbook';
import { startApiServer } from '../support/api-server.js';
import { startApiStack, type ApiServer, type ApiStack } from '../support/api-stack.js';
import { eventually } from '../support/eventually.js';

// No worker: alert-started runs just wait, so "running" is under the test's control.
const taskQueue = `storm-replicas-no-worker-${process.pid}`;
const runbookId = `storm-${process.pid}`;
let stack: ApiStack;
/** Two API replicas: separate processes' worth of state (stores, storm control), one Temporal. */
let replicas: ApiServer[] = [];
const tokens: string[] = [];

beforeAll(async () => {
  const runbook = stringify({
    id: runbookId,
    title: 'Storm',
    parameters: { host: { type: 'string' } },
    triggers: {
      alerts: [{ name: 'storm', match: [{ label: 'alertname', value: `Storm${process.pid}` }], params: { host: '{{ alert.labels.instance }}' } }],
      alertLimits: { maxConcurrent: 2, maxStarts: 3, window: '1h' },
    },
    nodes: [{ id: 'decide', kind: 'checkpoint', config: { title: 'Remediated?' } }],
  });
  stack = await startApiStack({ worker: false, taskQueue, runbooks: { files: { [`${runbookId}.yaml`]: runbook } } });
  replicas = [stack.api, await startApiServer(stack.env, { taskQueue, runbooks: stack.folder })];
  for (const api of replicas) tokens.push((await api.tokenStore.create({ user: 'alertmanager', roles: ['operator'], createdBy: 'test' })).token);
});

afterAll(async () => {
  await replicas[1]?.close();
  await stack?.stop();
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
  return eventually(
    async (): Promise<string[]> => {
      const { body } = await replicas[replica]!.call('GET', `/api/runs?runbookId=${runbookId}&trigger=alert${status ? `&status=${status}` : ''}`);
      return body.runs.map((r: { runId: string }) => r.runId);
    },
    (ids) => ids.length === count,
    { what: `replica ${replica} seeing ${count} runs`, attempts: 200 },
  );
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
    for (const runId of await visibleTo(0, 2, 'Running')) await stack.env.client.workflow.getHandle(runId).terminate('ended');
    await visibleTo(0, 0, 'Running');
    await visibleTo(1, 0, 'Running');
    expect((await fire(1, 'd')).decision).toBe('started');
    const started = await visibleTo(0, 3);
    // Replica 0 itself started only one run in the window: the breaker opens on the three visibility shows.
    const fifth = await fire(0, 'e');
    expect(fifth).toMatchObject({ decision: 'suppressed', reason: expect.stringMatching(/breaker open: 3 alert-started runs/) });
    // visibleTo waits for three; the point is that they are the same three, the fifth added none.
    expect((await visibleTo(1, 3)).sort()).toEqual([...started].sort());
  });
});
