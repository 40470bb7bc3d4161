import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunView } from '@runwright/runbook';
import { startApiStack, type ApiStack } from '../support/api-stack.js';
import { eventually, poll } from '../support/eventually.js';
import type { RunbookDocument } from '../support/runbooks-folder.js';
import { pollRun } from '../support/run-polling.js';

let stack: ApiStack;
let api: ApiStack['api'];

const child = (id: string, runbook: string) => ({ id, kind: 'subRunbook', config: { runbook, params: { who: '{{ params.who }}' } } });
function runbook(id: string, nodes: unknown[], extra: Record<string, unknown> = {}): RunbookDocument {
  const edges = nodes.slice(1).map((node, i) => ({ from: (nodes[i] as { id: string }).id, to: (node as { id: string }).id }));
  return { id, title: id, parameters: { who: { type: 'string', default: 'ops' } }, nodes, edges, ...extra };
}

beforeAll(async () => {
  stack = await startApiStack({
    runbooks: {
      documents: [
        // outer → middle → leaf: a chain two deep, each a child run of the one above.
        runbook('leaf', [{ id: 'greet', kind: 'shell', config: { command: ['echo', 'hello {{ params.who }}'] } }]),
        runbook('middle', [child('run-leaf', 'leaf')]),
        runbook('outer', [{ id: 'first', kind: 'shell', config: { command: ['true'] } }, child('run-middle', 'middle')], {
          triggers: { schedules: [{ name: 'nightly', cron: '0 3 * * *', params: { who: 'schedule' } }] },
        }),
        runbook('orphan', [child('run-missing', 'missing')]),
        runbook('loop-a', [child('to-b', 'loop-b')]),
        runbook('loop-b', [child('to-a', 'loop-a')]),
        { id: 'broken', title: 'broken', nodes: [{ id: 'x', kind: 'shell', config: {} }] },
        runbook('uses-broken', [child('run-broken', 'broken')]),
      ],
    },
  });
  api = stack.api;
});

afterAll(async () => {
  await stack?.env.client.schedule.getHandle('runwright:outer:nightly').delete().catch(() => undefined);
  await stack?.stop();
});

const finished = (runId: string): Promise<RunView> =>
  pollRun(api, encodeURIComponent(runId), (run) => run.temporalStatus !== 'RUNNING', { as: 'viewer' });

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
    const listed: { runId: string; runbookId: string; trigger: string }[] = await eventually(
      async () => (await api.call('GET', '/api/runs?runbookId=leaf')).body.runs,
      (runs) => runs.length > 0,
      { what: 'the leaf run listed', attempts: 100 },
    );
    expect(listed).toEqual([expect.objectContaining({ runId: childRun(middle, 'run-leaf'), runbookId: 'leaf', trigger: 'manual' })]);
  });

  it('pins them for scheduled runs too', async () => {
    expect((await api.call('POST', '/api/schedules/sync')).body.created).toContain('runwright:outer:nightly');
    const triggered = await api.call('POST', '/api/schedules/runwright:outer:nightly/trigger', {}, api.tokens.operator);
    expect(triggered.status).toBeLessThan(300);
    const runId = await poll<string>('the scheduled run listed', async () => (await api.call('GET', '/api/runs?runbookId=outer&trigger=schedule')).body.runs[0]?.runId);
    expect((await finished(runId)).state.status).toBe('succeeded');
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
