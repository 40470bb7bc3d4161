import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

const child = (id: string, runbook: string) => ({ id, kind: 'subRunbook', config: { runbook, params: { who: '{{ params.who }}' } } });
function writeRunbook(id: string, nodes: unknown[], extra: Record<string, unknown> = {}) {
  const edges = nodes.slice(1).map((node, i) => ({ from: (nodes[i] as { id: string }).id, to: (node as { id: string }).id }));
  writeFileSync(join(folder, `${id}.yaml`), stringify({ id, title: id, parameters: { who: { type: 'string', default: 'ops' } }, nodes, edges, ...extra }));
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'runwright-sub-runbooks-'));
  // outer → middle → leaf: a chain two deep, each a child run of the one above.
  writeRunbook('leaf', [{ id: 'greet', kind: 'shell', config: { command: ['echo', 'hello {{ params.who }}'] } }]);
  writeRunbook('middle', [child('run-leaf', 'leaf')]);
  writeRunbook('outer', [{ id: 'first', kind: 'shell', config: { command: ['true'] } }, child('run-middle', 'middle')], {
    triggers: { schedules: [{ name: 'nightly', cron: '0 3 * * *', params: { who: 'schedule' } }] },
  });
  writeRunbook('orphan', [child('run-missing', 'missing')]);
  writeRunbook('loop-a', [child('to-b', 'loop-b')]);
  writeRunbook('loop-b', [child('to-a', 'loop-a')]);
  writeFileSync(join(folder, 'broken.yaml'), stringify({ id: 'broken', title: 'broken', nodes: [{ id: 'x', kind: 'shell', config: {} }] }));
  writeRunbook('uses-broken', [child('run-broken', 'broken')]);
  env = await connectToTestServer();
  worker = await startTestWorker(env);
  api = await startApiServer(env, { taskQueue: worker.taskQueue, runbooks: folder });
});

afterAll(async () => {
  await env?.client.schedule.getHandle('runwright:outer:nightly').delete().catch(() => undefined);
  await api?.close();
  await worker?.stop();
  await env?.teardown();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

async function finished(runId: string): Promise<RunView> {
  for (let i = 0; i < 600; i++) {
    const { body } = await api.call('GET', `/api/runs/${encodeURIComponent(runId)}`, undefined, api.tokens.viewer);
    if (body.temporalStatus && body.temporalStatus !== 'RUNNING') return body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`run ${runId} did not finish`);
}

describe('runs that start sub-runbooks, started through the API', () => {
  it('pins every runbook of the chain at start, so the children run', async () => {
    const started = await api.call('POST', '/api/runbooks/outer/runs', { params: { who: 'Grace' } }, api.tokens.operator);
    expect(started.status).toBe(201);
    const run = await finished(started.body.runId);
    expect(run.state.status).toBe('succeeded');
    expect(run.state.nodes['run-middle']).toMatchObject({ status: 'succeeded', output: { runbookId: 'middle', status: 'succeeded' } });
    // The grandchild ran too, with the parameter handed down twice.
    const childRun = (view: RunView, nodeId: string) => (view.state.nodes[nodeId]!.output as { workflowId: string }).workflowId;
    const middle = await finished(childRun(run, 'run-middle'));
    const leaf = await finished(childRun(middle, 'run-leaf'));
    expect(leaf.state.nodes.greet!.output).toMatchObject({ stdout: 'hello Grace\n' });
    // Each child is listed as a run of its own runbook, started by the same trigger.
    let listed: { runId: string; runbookId: string; trigger: string }[] = [];
    for (let i = 0; i < 100 && listed.length === 0; i++) {
      listed = (await api.call('GET', '/api/runs?runbookId=leaf')).body.runs;
      if (listed.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(listed).toEqual([expect.objectContaining({ runId: childRun(middle, 'run-leaf'), runbookId: 'leaf', trigger: 'manual' })]);
  });

  it('pins them for scheduled runs too', async () => {
    expect((await api.call('POST', '/api/schedules/sync')).body.created).toContain('runwright:outer:nightly');
    const triggered = await api.call('POST', '/api/schedules/runwright:outer:nightly/trigger', {}, api.tokens.operator);
    expect(triggered.status).toBeLessThan(300);
    let runId: string | undefined;
    for (let i = 0; i < 300 && !runId; i++) {
      const { body } = await api.call('GET', '/api/runs?runbookId=outer&trigger=schedule');
      runId = body.runs[0]?.runId;
      if (!runId) await new Promise((r) => setTimeout(r, 100));
    }
    expect((await finished(runId!)).state.status).toBe('succeeded');
  });

  it('refuses to start when a child is missing, has problems, or the chain loops — naming where', async () => {
    const missing = await api.call('POST', '/api/runbooks/orphan/runs', { params: {} }, api.tokens.operator);
    expect(missing.status).toBe(422);
    expect(missing.body).toMatchObject({ error: 'invalid_runbook', details: [{ path: 'nodes.0.config.runbook', message: 'no runbook "missing"' }] });

    const broken = await api.call('POST', '/api/runbooks/uses-broken/runs', { params: {} }, api.tokens.operator);
    expect(broken.status).toBe(422);
    expect(broken.body.message).toMatch(/"run-broken" starts runbook "broken", which has problems/);
    expect(broken.body.details[0].path).toMatch(/^broken: nodes\.0\.config/);

    const loop = await api.call('POST', '/api/runbooks/loop-a/runs', { params: {} }, api.tokens.operator);
    expect(loop.status).toBe(422);
    expect(loop.body.message).toBe('sub-runbooks start each other without end: loop-a → loop-b → loop-a');
    expect(loop.body.details).toEqual([{ path: 'loop-b: nodes.0.config.runbook', message: '"to-a" closes the loop loop-a → loop-b → loop-a' }]);

    // Nothing was started for any of them.
    const { body } = await api.call('GET', '/api/runs');
    expect(body.runs.map((r: { runbookId: string }) => r.runbookId)).not.toEqual(expect.arrayContaining(['orphan']));
    expect(body.runs.filter((r: { runbookId: string }) => ['orphan', 'uses-broken', 'loop-a'].includes(r.runbookId))).toEqual([]);
  });
});
