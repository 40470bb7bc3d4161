import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiStack, type ApiStack } from '../support/api-stack.js';

// No worker: nothing here may start a run.
const taskQueue = `problems-no-worker-${process.pid}`;
let stack: ApiStack;

const badYaml = 'id: broken-yaml\ntitle: Broken\nnodes:\n  - id: a\n    kind: shell\n   config: [unclosed\n';
const badGraph = 'id: bad-graph\ntitle: Bad graph\nnodes:\n  - id: a\n    kind: shell\n    config:\n      script: echo a\nedges:\n  - from: a\n    to: nowhere\n';

beforeAll(async () => {
  stack = await startApiStack({ worker: false, taskQueue, runbooks: { copy: ['hello'], files: { 'broken-yaml.yaml': badYaml, 'bad-graph.yaml': badGraph } } });
});

afterAll(() => stack?.stop());

describe('a runbook file with problems', () => {
  it.each([
    ['broken-yaml', badYaml],
    ['bad-graph', badGraph],
  ])('%s opens with its source and problems, so the editor can fix it', async (id, source) => {
    const { status, body } = await stack.api.call('GET', `/api/runbooks/${id}`, undefined, stack.api.tokens.viewer);
    expect(status).toBe(200);
    expect(body.runbook).toBeNull();
    expect(body.source).toBe(source);
    expect(body.planHash).toBe('');
    expect(body.problems.length).toBeGreaterThan(0);
    for (const problem of body.problems) expect(problem).toEqual({ path: expect.any(String), message: expect.any(String) });
  });

  it('names the broken edge in the graph problems', async () => {
    const { body } = await stack.api.call('GET', '/api/runbooks/bad-graph');
    expect(JSON.stringify(body.problems)).toContain('nowhere');
  });

  it.each(['broken-yaml', 'bad-graph'])('refuses to start %s, naming the problems, and starts nothing', async (id) => {
    const { status, body } = await stack.api.call('POST', `/api/runbooks/${id}/runs`, { params: {} }, stack.api.tokens.operator);
    expect(status).toBe(422);
    expect(body.error).toBe('invalid_runbook');
    expect(body.message).toContain(id);
    expect(body.details.length).toBeGreaterThan(0);
    const runs = await stack.api.call('GET', `/api/runs?runbookId=${id}`);
    expect(runs.body.runs).toEqual([]);
  });

  it('still answers a valid runbook with its definition and no problems', async () => {
    const { status, body } = await stack.api.call('GET', '/api/runbooks/hello');
    expect(status).toBe(200);
    expect(body).toMatchObject({ runbook: { id: 'hello' }, planHash: expect.stringMatching(/^sha256:/), problems: [] });
  });

  it('answers 404 for a runbook with no file', async () => {
    expect((await stack.api.call('GET', '/api/runbooks/no-such-runbook')).status).toBe(404);
  });
});
