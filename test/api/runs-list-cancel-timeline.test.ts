import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSummarySchema, type RunEvent, type RunSummary } from '@runwright/runbook';
import { startApiStack, type ApiStack } from '../support/api-stack.js';
import { eventually } from '../support/eventually.js';

let stack: ApiStack;
const runs: string[] = [];
let planHash = '';
let startedAfter = '';


const list = async (query: string): Promise<RunSummary[]> => {
  const { status, body } = await stack.api.call('GET', `/api/runs${query}`, undefined, stack.api.tokens.viewer);
  expect(status).toBe(200);
  return body.runs.map((r: unknown) => runSummarySchema.parse(r));
};
const ids = (summaries: RunSummary[]) => summaries.map((r) => r.runId).filter((id) => runs.includes(id)).sort();

beforeAll(async () => {
  stack = await startApiStack();
  startedAfter = new Date(Date.now() - 1000).toISOString();
  for (let i = 0; i < 2; i++) {
    const started = await stack.api.call('POST', '/api/runbooks/hello/runs', { params: { healthUrl: `${stack.api.url}/healthz` } }, stack.api.tokens.operator);
    expect(started.status).toBe(201);
    runs.push(started.body.runId);
    planHash = started.body.planHash;
  }
});

afterAll(async () => {
  for (const runId of runs) await stack?.env.client.workflow.getHandle(runId).terminate('test cleanup').catch(() => undefined);
  await stack?.stop();
});

describe('runs through visibility, the approvals inbox, the timeline and cancel', () => {
  it('lists runs filtered by runbook, status, trigger and start time', async () => {
    const running = await eventually(() => list('?runbookId=hello&status=Running'), (r) => ids(r).length === 2);
    expect(running.find((r) => r.runId === runs[0])).toMatchObject({ runbookId: 'hello', trigger: 'manual', planHash, status: 'Running' });
    expect(ids(await list(`?trigger=manual&since=${encodeURIComponent(startedAfter)}`))).toEqual([...runs].sort());
    expect(ids(await list('?trigger=alert'))).toEqual([]);
    expect(ids(await list(`?until=${encodeURIComponent(startedAfter)}`))).toEqual([]);
    expect(ids(await list('?status=Completed&runbookId=hello'))).toEqual([]);
    expect((await list('?limit=1')).length).toBe(1);
    const hello = (await stack.api.call('GET', '/api/runbooks', undefined, stack.api.tokens.viewer)).body.runbooks.find((r: { id: string }) => r.id === 'hello');
    expect(hello).toMatchObject({ triggers: { alerts: [], webhooks: [], schedules: [] }, lastRun: { runId: expect.stringMatching(/^run-hello-/), trigger: 'manual' } });
    const bad = await stack.api.call('GET', "/api/runs?runbookId=x' OR 1=1&status=Done&limit=100000");
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { path: string }) => d.path).sort()).toEqual(['query.limit', 'query.runbookId', 'query.status']);
  });

  it('gathers every pending checkpoint across runs into one inbox', async () => {
    const inbox = await eventually(
      async () => (await stack.api.call('GET', '/api/checkpoints', undefined, stack.api.tokens.approver)).body,
      (body) => body.checkpoints.filter((c: { runId: string }) => runs.includes(c.runId)).length === 2,
    );
    // Other test files' runs share this Temporal server; only this file's runs must be reachable.
    expect(inbox.unreachableRuns.filter((runId: string) => runs.includes(runId))).toEqual([]);
    const mine = inbox.checkpoints.filter((c: { runId: string }) => runs.includes(c.runId));
    for (const entry of mine) {
      expect(entry).toMatchObject({ nodeId: 'confirm', runbookId: 'hello', planHash, startedBy: 'operator', checklist: [{ id: 'greeting-read' }] });
    }
  });

  it('shows who decided what, and when, on the run timeline', async () => {
    const [runId] = runs as [string];
    const decided = await stack.api.call(
      'POST',
      `/api/runs/${runId}/checkpoints/confirm/decision`,
      { decision: 'approve', planHash, comment: 'checked the greeting', checklist: { 'greeting-read': true } },
      stack.api.tokens.approver,
    );
    expect(decided.status).toBe(200);
    await eventually(() => list('?runbookId=hello&status=Completed'), (r) => ids(r).includes(runId));

    const { status, body } = await stack.api.call('GET', `/api/runs/${runId}/events`, undefined, stack.api.tokens.viewer);
    expect(status).toBe(200);
    const events: RunEvent[] = body.events;
    expect(events[0]).toMatchObject({ type: 'WorkflowExecutionStarted', details: { runbookId: 'hello', planHash, trigger: { type: 'manual', by: 'operator' } } });
    expect(events.find((e) => e.type === 'ActivityTaskScheduled')).toMatchObject({ details: { nodeId: 'say-hello' } });
    const decision = events.find((e) => e.type === 'WorkflowExecutionUpdateAccepted');
    expect(decision).toMatchObject({ details: { update: 'decideCheckpoint', nodeId: 'confirm', decision: 'approve', by: 'approver', comment: 'checked the greeting' } });
    expect(Date.parse(decision!.at)).toBeGreaterThan(Date.parse(events[0]!.at) - 1);
    expect(events.at(-1)!.type).toBe('WorkflowExecutionCompleted');
    expect(events.some((e) => e.type.startsWith('WorkflowTask'))).toBe(false);

    const inbox = (await stack.api.call('GET', '/api/checkpoints')).body;
    expect(inbox.checkpoints.map((c: { runId: string }) => c.runId)).not.toContain(runId);
  });

  it('cancels a running run once, and refuses to cancel it again', async () => {
    const runId = runs[1]!;
    const cancelled = await stack.api.call('POST', `/api/runs/${runId}/cancel`, { reason: 'not needed' }, stack.api.tokens.operator);
    expect(cancelled.status).toBe(202);
    expect(cancelled.body).toEqual({ runId, status: 'cancel-requested' });
    await eventually(() => list('?runbookId=hello&status=Canceled'), (r) => ids(r).includes(runId));
    const again = await stack.api.call('POST', `/api/runs/${runId}/cancel`, {}, stack.api.tokens.operator);
    expect(again.status).toBe(409);
    expect((await stack.api.call('POST', '/api/runs/no-such-run/cancel', {})).status).toBe(404);
    expect((await stack.api.call('GET', '/api/runs/no-such-run/events')).status).toBe(404);
    const audit = (await stack.api.call('GET', '/api/audit?action=cancelRun')).body.records;
    expect(audit.map((r: { actor: { user: string }; status: number }) => [r.actor.user, r.status])).toEqual([
      ['bootstrap', 404],
      ['operator', 409],
      ['operator', 202],
    ]);
  });
});
