import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { RunView } from '@runwright/runbook';
import { startApiServer } from '../support/api-server.js';
import { connectToTestServer, startTestWorker, type RunningWorker } from '../support/temporal.js';

let env: TestWorkflowEnvironment;
let worker: RunningWorker;
let api: Awaited<ReturnType<typeof startApiServer>>;
let folder: string;

const runbookId = 'item-checkpoints';

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'runwright-item-checkpoints-'));
  // Each host is drained, then waits for a person, then upgraded: two hosts wait at `gate` at once.
  writeFileSync(
    join(folder, `${runbookId}.yaml`),
    stringify({
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
    }),
  );
  env = await connectToTestServer();
  worker = await startTestWorker(env);
  api = await startApiServer(env, { taskQueue: worker.taskQueue, runbooks: folder });
});

afterAll(async () => {
  await api?.close();
  await worker?.stop();
  await env?.teardown();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

/** The installed `runwright` command, as the holder of `token`. */
function runwright(args: string[], token: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const bin = resolve(import.meta.dirname, '../../node_modules/.bin/runwright');
  const env = { ...process.env, RUNWRIGHT_URL: api.url, RUNWRIGHT_TOKEN: token };
  return new Promise((done) => {
    execFile(bin, args, { env, timeout: 120_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

async function pollRun(runId: string, until: (run: RunView) => boolean): Promise<RunView> {
  for (let i = 0; i < 600; i++) {
    const { body } = await api.call('GET', `/api/runs/${runId}`, undefined, api.tokens.viewer);
    if (body.state && until(body)) return body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`run ${runId} never reached the expected state`);
}

describe('checkpoints inside forEach items through the API', () => {
  it('lists each waiting item, asks which item when several wait, and decides the one named', async () => {
    const started = await api.call('POST', `/api/runbooks/${runbookId}/runs`, { params: { hosts: ['a', 'b'] } }, api.tokens.operator);
    expect(started.status).toBe(201);
    const { runId, planHash } = started.body as { runId: string; planHash: string };
    await pollRun(runId, (r) => r.state.pendingCheckpoints.length === 2);

    const inbox = await api.call('GET', '/api/checkpoints', undefined, api.tokens.approver);
    const mine = inbox.body.checkpoints.filter((c: { runId: string }) => c.runId === runId);
    expect(mine.map((c: { nodeId: string; item: { key: string } }) => `${c.nodeId}/${c.item.key}`).sort()).toEqual(['gate/a', 'gate/b']);

    const decide = (body: Record<string, unknown>) => api.call('POST', `/api/runs/${runId}/checkpoints/gate/decision`, { planHash, ...body }, api.tokens.approver);
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
    await pollRun(runId, (r) => r.state.pendingCheckpoints.length === 1);
    expect((await decide({ decision: 'reject', comment: 'b looks wrong' })).status).toBe(200);

    const done = await pollRun(runId, (r) => r.temporalStatus !== 'RUNNING');
    expect(done.state.nodes.fan!.progress!.items).toEqual({ a: 'succeeded', b: 'failed' });

    const audit = await api.call('GET', '/api/audit?action=decideCheckpoint&limit=1000');
    const records = audit.body.records.filter((r: { target: { runId?: string }; outcome: string }) => r.target.runId === runId && r.outcome === 'ok');
    expect(records.map((r: { details: Record<string, unknown> }) => r.details)).toEqual([
      { decision: 'reject', comment: 'b looks wrong' },
      { decision: 'approve', comment: 'a is fine', itemKey: 'a' },
    ]);
  });

  it('the CLI names the item: inbox prints --item, approve without it is refused, with it decides; run --dry-run rehearses', async () => {
    const started = await runwright(['run', runbookId, '-j', 'hosts=["x","y"]'], api.tokens.operator);
    expect(started.code).toBe(0);
    const runId = started.stdout.trim();
    await pollRun(runId, (r) => r.state.pendingCheckpoints.length === 2);

    const inbox = await runwright(['inbox', '--runbook', runbookId], api.tokens.approver);
    expect(inbox.stdout).toContain(`runwright approve ${runId} gate --item x -c looked`);
    const unnamed = await runwright(['approve', runId, 'gate', '-c', 'looked'], api.tokens.approver);
    expect(unnamed.code).toBe(2);
    expect(unnamed.stderr).toMatch(/itemKey/);
    for (const item of ['x', 'y']) {
      const approved = await runwright(['approve', runId, 'gate', '--item', item, '-c', 'looked'], api.tokens.approver);
      expect(approved).toMatchObject({ code: 0, stdout: 'gate: approved by approver\n' });
      if (item === 'x') await pollRun(runId, (r) => r.state.pendingCheckpoints.length === 1);
    }
    const done = await pollRun(runId, (r) => r.temporalStatus !== 'RUNNING');
    expect(done.state.nodes.fan!.progress!.items).toEqual({ x: 'succeeded', y: 'succeeded' });

    const rehearsal = await runwright(['run', runbookId, '--dry-run', '-j', 'hosts=["z"]'], api.tokens.operator);
    expect(rehearsal.code).toBe(0);
    const rehearsed = await pollRun(rehearsal.stdout.trim(), (r) => r.state.nodes.drain !== undefined || r.state.pendingCheckpoints.length > 0);
    expect(rehearsed.state.dryRun).toBe(true);
    await api.call('POST', `/api/runs/${rehearsal.stdout.trim()}/cancel`, {}, api.tokens.operator);
  });
});
