import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema } from '@runwright/runbook';
import { startApiStack, type ApiStack } from '../support/api-stack.js';
import { pollRun } from '../support/run-polling.js';

let stack: ApiStack;

beforeAll(async () => {
  stack = await startApiStack();
});

afterAll(() => stack?.stop());

describe('the walking skeleton through the API', () => {
  it('reports Temporal connectivity on /healthz', async () => {
    const { status, body } = await stack.api.call('GET', '/healthz');
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', temporal: { reachable: true } });
  });

  it('lists and serves the shipped hello runbook', async () => {
    const list = await stack.api.call('GET', '/api/runbooks');
    expect(list.status).toBe(200);
    expect(list.body.runbooks).toContainEqual(expect.objectContaining({ id: 'hello', problems: [], planHash: expect.stringMatching(/^sha256:/) }));
    // Drill runbooks carry their objectives, so lists can tag them; the others carry none.
    const byId = new Map(list.body.runbooks.map((r: { id: string }) => [r.id, r]));
    expect(byId.get('dr-drill')).toMatchObject({ objectives: { rtoSeconds: 900, rpoSeconds: 0, recoveredAt: 'failover' } });
    expect(byId.get('hello')).not.toHaveProperty('objectives');
    const one = await stack.api.call('GET', '/api/runbooks/hello');
    expect(one.body.runbook.nodes.map((n: { id: string }) => n.id)).toEqual(['say-hello', 'confirm', 'check-health']);
  });

  it('starts hello, shows live per-node state, takes the approval and completes with outputs', async () => {
    const started = await stack.api.call('POST', '/api/runbooks/hello/runs', { params: { who: '$(id)', healthUrl: `${stack.api.url}/healthz` } }, stack.api.tokens.operator);
    expect(started.status).toBe(201);
    const { runId, planHash } = started.body;

    const waiting = await pollRun(stack.api, runId, (r) => r.state.status === 'waiting', { strict: true });
    expect(waiting.temporalStatus).toBe('RUNNING');
    expect(waiting.state.nodes['say-hello']!.status).toBe('succeeded');
    expect((waiting.state.nodes['say-hello']!.output as { stdout: string }).stdout).toContain('hello, $(id), from');
    expect(waiting.state.pendingCheckpoints[0]).toMatchObject({ nodeId: 'confirm', checklist: [{ id: 'greeting-read', required: true }] });

    const unticked = await stack.api.call('POST', `/api/runs/${runId}/checkpoints/confirm/decision`, { decision: 'approve', planHash });
    expect(unticked.status).toBe(400);
    expect(unticked.body.details[0].message).toMatch(/greeting-read/);

    const approved = await stack.api.call(
      'POST',
      `/api/runs/${runId}/checkpoints/confirm/decision`,
      { decision: 'approve', planHash, comment: 'looks right', checklist: { 'greeting-read': true } },
      stack.api.tokens.approver,
    );
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ outcome: 'approved', decision: { by: 'approver', comment: 'looks right' } });

    const done = await pollRun(stack.api, runId, (r) => r.temporalStatus === 'COMPLETED', { strict: true });
    expect(done.state.status).toBe('succeeded');
    expect(done.state.nodes['check-health']).toMatchObject({ status: 'succeeded', output: { status: 200, json: { status: 'ok' } } });

    const again = await stack.api.call('POST', `/api/runs/${runId}/checkpoints/confirm/decision`, { decision: 'approve', planHash, checklist: { 'greeting-read': true } });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: 'conflict', message: 'no checkpoint "confirm" is waiting for a decision' });
  });

  it('answers bad input with 4xx and the one error shape, and leaves runs alone', async () => {
    const cases: [string, string, unknown, number, string][] = [
      ['POST', '/api/runbooks/no-such-runbook/runs', { params: {} }, 404, 'not_found'],
      ['POST', '/api/runbooks/hello/runs', '{"params": ', 400, 'validation_error'],
      ['POST', '/api/runbooks/hello/runs', { params: { who: 42 } }, 400, 'validation_error'],
      ['POST', '/api/runbooks/hello/runs', { params: { typo: 'x' } }, 400, 'validation_error'],
      ['POST', '/api/runbooks/hello/runs', { parameters: {} }, 400, 'validation_error'],
      ['POST', '/api/runbooks/Bad_Id/runs', { params: {} }, 400, 'validation_error'],
      ['GET', '/api/runs/no-such-run', undefined, 404, 'not_found'],
      ['POST', '/api/runs/no-such-run/checkpoints/confirm/decision', { decision: 'approve', planHash: 'x' }, 404, 'not_found'],
      ['POST', '/api/runs/x/checkpoints/confirm/decision', { decision: 'maybe', planHash: 'x' }, 400, 'validation_error'],
      ['GET', '/api/nothing-here', undefined, 404, 'not_found'],
      ['POST', '/api/runbooks/hello/runs', { params: { who: 'x'.repeat(2_000_000) } }, 413, 'payload_too_large'],
    ];
    for (const [method, path, body, status, error] of cases) {
      const response = await stack.api.call(method, path, body);
      expect({ method, path, status: response.status, error: response.body.error }).toEqual({ method, path, status, error });
      expect(errorBodySchema.safeParse(response.body).success).toBe(true);
    }
    const typed = await stack.api.call('POST', '/api/runbooks/hello/runs', { params: { who: 42 } });
    expect(typed.body.details).toEqual([{ path: 'body.params.who', message: expect.stringMatching(/string/) }]);
  });

  it('refuses to approve a run that has no pending checkpoint and leaves it unaffected', async () => {
    const started = await stack.api.call('POST', '/api/runbooks/hello/runs', { params: { healthUrl: `${stack.api.url}/healthz` } });
    const { runId, planHash } = started.body;
    await pollRun(stack.api, runId, (r) => r.state.status === 'waiting', { strict: true });
    const wrongNode = await stack.api.call('POST', `/api/runs/${runId}/checkpoints/say-hello/decision`, { decision: 'approve', planHash });
    expect(wrongNode.status).toBe(409);
    const wrongPlan = await stack.api.call('POST', `/api/runs/${runId}/checkpoints/confirm/decision`, { decision: 'approve', planHash: 'sha256:0', checklist: { 'greeting-read': true } });
    expect(wrongPlan.status).toBe(409);
    const still = await pollRun(stack.api, runId, () => true, { strict: true });
    expect(still.state.status).toBe('waiting');
    expect(still.state.pendingCheckpoints[0]!.approvals).toEqual([]);
    await stack.env.client.workflow.getHandle(runId).terminate('test cleanup');
  });
});
