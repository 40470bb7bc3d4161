import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiStack, type ApiStack } from '../support/api-stack.js';
import { pollRun } from '../support/run-polling.js';
import { runwright } from '../support/cli.js';
import { writeRunbookFile } from '../support/runbooks-folder.js';

let stack: ApiStack;

const runbookId = 'item-checkpoints';

beforeAll(async () => {
  stack = await startApiStack({ runbooks: {} });
  // Each host is drained, then waits for a person, then upgraded: two hosts wait at `gate` at once.
  writeRunbookFile(stack.folder, {
    id: runbookId,
    title: 'A checkpoint per host',
    parameters: { hosts: { type: 'list' } },
    nodes: [
      { id: 'fan', kind: 'forEach', config: { items: 'params.hosts', batchSize: 2 } },
      { id: 'drain', kind: 'shell', parent: 'fan', config: { command: ['echo', 'drained {{ item }}'] } },
      {
        id: 'gate',
        kind: 'checkpoint',
        parent: 'fan',
        config: { title: 'Host drained?', checklist: [{ id: 'looked', label: 'I looked at the host', type: 'tick', required: true }] },
      },
      { id: 'upgrade', kind: 'shell', parent: 'fan', config: { command: ['echo', 'upgraded {{ item }}'] } },
    ],
    edges: [
      { from: 'drain', to: 'gate' },
      { from: 'gate', to: 'upgrade' },
    ],
  });
});

afterAll(() => stack?.stop());

describe('checkpoints inside forEach items through the API', () => {
  it('lists each waiting item, asks which item when several wait, and decides the one named', async () => {
    const started = await stack.api.call('POST', `/api/runbooks/${runbookId}/runs`, { params: { hosts: ['a', 'b'] } }, stack.api.tokens.operator);
    expect(started.status).toBe(201);
    const { runId, planHash } = started.body as { runId: string; planHash: string };
    await pollRun(stack.api, runId, (r) => r.state.pendingCheckpoints.length === 2, { as: 'viewer' });

    const inbox = await stack.api.call('GET', '/api/checkpoints', undefined, stack.api.tokens.approver);
    const mine = inbox.body.checkpoints.filter((c: { runId: string }) => c.runId === runId);
    expect(mine.map((c: { nodeId: string; item: { key: string } }) => `${c.nodeId}/${c.item.key}`).sort()).toEqual(['gate/a', 'gate/b']);

    const decide = (body: Record<string, unknown>) => stack.api.call('POST', `/api/runs/${runId}/checkpoints/gate/decision`, { planHash, ...body }, stack.api.tokens.approver);
    // Two items wait at `gate`: the node id alone does not say which.
    const unnamed = await decide({ decision: 'approve', checklist: { looked: true } });
    expect(unnamed.status).toBe(400);
    expect(unnamed.body.details).toEqual([{ path: 'body.itemKey', message: expect.stringMatching(/a, b|b, a/) }]);
    const unknown = await decide({ decision: 'approve', checklist: { looked: true }, itemKey: 'c' });
    expect(unknown.status).toBe(409);
    expect(unknown.body.details[0].path).toBe('body.itemKey');
    // The item's checklist is checked like any checkpoint's.
    expect((await decide({ decision: 'approve', itemKey: 'a', checklist: { looked: false } })).status).toBe(400);

    const approved = await decide({ decision: 'approve', itemKey: 'a', checklist: { looked: true }, comment: 'a is fine' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ outcome: 'approved', decision: { by: 'approver', comment: 'a is fine' } });
    // One item left: the node id is enough again.
    await pollRun(stack.api, runId, (r) => r.state.pendingCheckpoints.length === 1, { as: 'viewer' });
    expect((await decide({ decision: 'reject', comment: 'b looks wrong' })).status).toBe(200);

    const done = await pollRun(stack.api, runId, (r) => r.temporalStatus !== 'RUNNING', { as: 'viewer' });
    expect(done.state.nodes.fan!.progress!.items).toEqual({ a: 'succeeded', b: 'failed' });

    const audit = await stack.api.call('GET', '/api/audit?action=decideCheckpoint&limit=1000');
    const records = audit.body.records.filter((r: { target: { runId?: string }; outcome: string }) => r.target.runId === runId && r.outcome === 'ok');
    expect(records.map((r: { details: Record<string, unknown> }) => r.details)).toEqual([
      { decision: 'reject', comment: 'b looks wrong' },
      { decision: 'approve', comment: 'a is fine', itemKey: 'a' },
    ]);
  });

  it('the CLI names the item: inbox prints --item, approve without it is refused, with it decides; run --dry-run rehearses', async () => {
    const started = await runwright(stack.api, ['run', runbookId, '-j', 'hosts=["x","y"]'], stack.api.tokens.operator);
    expect(started.code).toBe(0);
    const runId = started.stdout.trim();
    await pollRun(stack.api, runId, (r) => r.state.pendingCheckpoints.length === 2, { as: 'viewer' });

    const inbox = await runwright(stack.api, ['inbox', '--runbook', runbookId], stack.api.tokens.approver);
    expect(inbox.stdout).toContain(`runwright approve ${runId} gate --item x -c looked`);
    const unnamed = await runwright(stack.api, ['approve', runId, 'gate', '-c', 'looked'], stack.api.tokens.approver);
    expect(unnamed.code).toBe(2);
    expect(unnamed.stderr).toMatch(/itemKey/);
    for (const item of ['x', 'y']) {
      const approved = await runwright(stack.api, ['approve', runId, 'gate', '--item', item, '-c', 'looked'], stack.api.tokens.approver);
      expect(approved).toMatchObject({ code: 0, stdout: 'gate: approved by approver\n' });
      if (item === 'x') await pollRun(stack.api, runId, (r) => r.state.pendingCheckpoints.length === 1, { as: 'viewer' });
    }
    const done = await pollRun(stack.api, runId, (r) => r.temporalStatus !== 'RUNNING', { as: 'viewer' });
    expect(done.state.nodes.fan!.progress!.items).toEqual({ x: 'succeeded', y: 'succeeded' });

    const rehearsal = await runwright(stack.api, ['run', runbookId, '--dry-run', '-j', 'hosts=["z"]'], stack.api.tokens.operator);
    expect(rehearsal.code).toBe(0);
    const rehearsed = await pollRun(stack.api, rehearsal.stdout.trim(), (r) => r.state.nodes.drain !== undefined || r.state.pendingCheckpoints.length > 0, { as: 'viewer' });
    expect(rehearsed.state.dryRun).toBe(true);
    await stack.api.call('POST', `/api/runs/${rehearsal.stdout.trim()}/cancel`, {}, stack.api.tokens.operator);
  });
});
