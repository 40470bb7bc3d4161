import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiStack, type ApiStack } from '../support/api-stack.js';
import { runwright } from '../support/cli.js';
import { pollRun } from '../support/run-polling.js';
import { writeRunbookFile } from '../support/runbooks-folder.js';

// A forEach's sign-off between batches (and its canary's) is addressed by a gate id with a dot
// (`fan.canary`, `fan.batch-2`): the inbox, the decision route and `runwright approve` take it.

let stack: ApiStack;
const runbookId = 'gated-hosts';

beforeAll(async () => {
  stack = await startApiStack({ runbooks: {} });
  writeRunbookFile(stack.folder, {
    id: runbookId,
    title: 'Hosts one by one, signed off between batches',
    parameters: { hosts: { type: 'list' } },
    nodes: [
      {
        id: 'fan',
        kind: 'forEach',
        config: {
          items: 'params.hosts',
          batchSize: 1,
          canary: { size: 1, checkpoint: { title: 'Canary fine?' } },
          afterEachBatch: { checkpoint: { title: 'Batch fine?', checklist: [{ id: 'looked', label: 'I looked at the dashboards' }] } },
        },
      },
      { id: 'touch', kind: 'shell', parent: 'fan', config: { command: ['echo', '{{ item }}'] } },
    ],
  });
});

afterAll(() => stack?.stop());

describe('gate checkpoints through the API and the CLI', () => {
  it('lists each gate in the inbox with its batch, and decides it by its gate id, by route and by CLI', async () => {
    const started = await stack.api.call('POST', `/api/runbooks/${runbookId}/runs`, { params: { hosts: ['a', 'b', 'c'] } }, stack.api.tokens.operator);
    expect(started.status).toBe(201);
    const { runId, planHash } = started.body as { runId: string; planHash: string };
    const decide = (nodeId: string, body: Record<string, unknown>) =>
      stack.api.call('POST', `/api/runs/${runId}/checkpoints/${nodeId}/decision`, { planHash, ...body }, stack.api.tokens.approver);

    await pollRun(stack.api, runId, (r) => r.state.pendingCheckpoints.length === 1, { as: 'viewer' });
    const inbox = await stack.api.call('GET', '/api/checkpoints', undefined, stack.api.tokens.approver);
    expect(inbox.body.checkpoints.filter((c: { runId: string }) => c.runId === runId)).toMatchObject([
      { nodeId: 'fan.canary', title: 'Canary fine?', gate: { forEachId: 'fan', batch: 1, batches: 3 } },
    ]);
    // Not a node id nor a gate id: refused at the path, before any run is asked.
    const malformed = await decide('fan.batch-x', { decision: 'approve' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.details).toEqual([{ path: 'path.nodeId', message: expect.stringContaining('rollout.batch-2') }]);
    expect((await decide('fan.canary', { decision: 'approve' })).status).toBe(200);

    await pollRun(stack.api, runId, (r) => r.state.pendingCheckpoints[0]?.nodeId === 'fan.batch-2', { as: 'viewer' });
    const listed = await runwright(stack.api, ['inbox', '--runbook', runbookId], stack.api.tokens.approver);
    expect(listed.stdout).toContain(`runwright approve ${runId} fan.batch-2 -c looked`);
    // A decision for a batch whose gate is not open (the next one) is refused: it cannot land on this one.
    expect((await decide('fan.batch-3', { decision: 'approve', checklist: { looked: true } })).status).toBe(409);
    const approved = await runwright(stack.api, ['approve', runId, 'fan.batch-2', '-c', 'looked'], stack.api.tokens.approver);
    expect(approved).toMatchObject({ code: 0, stdout: 'fan.batch-2: approved by approver\n' });

    // No sign-off after the last batch: the run ends.
    const done = await pollRun(stack.api, runId, (r) => r.temporalStatus !== 'RUNNING', { as: 'viewer' });
    expect(done.state.status).toBe('succeeded');
    expect(done.state.nodes.fan!.progress!.gates!.map((g) => [g.id, g.status, g.decision?.by])).toEqual([
      ['fan.canary', 'passed', ['approver']],
      ['fan.batch-2', 'passed', ['approver']],
    ]);
  });

  it('the plan says how often each sign-off waits', async () => {
    const plan = await runwright(stack.api, ['plan', runbookId, '-j', 'hosts=["a","b","c","d"]'], stack.api.tokens.operator);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('gates: after 1 fan.canary: sign-off | after 2 fan.batch-2: sign-off | after 3 fan.batch-3: sign-off');
    expect(plan.stdout).toContain('checkpoint fan.canary: Canary fine? — once, after the canary batch of fan');
    expect(plan.stdout).toContain('checkpoint fan.batch-<n>: Batch fine? — 2 time(s), after batch(es) 2, 3 of fan');
  });
});
