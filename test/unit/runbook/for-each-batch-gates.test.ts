import { describe, expect, it } from 'vitest';
import { gateAfterBatch, planHash, previewPlan, stepKinds, validateRunbook, type PlanPreview, type Problem, type StepConfig } from '@runwright/runbook';
import { checkpointWaits } from '../../../apps/editor/src/editor/checkpoint-waits-text.js';

// forEach `afterEachBatch`: the language (schema, checks, editor hints), the rule of which gate
// follows which batch, and what the plan preview says about it.

const soak = { duration: '{{ params.soak }}', interval: '30s', guards: [{ name: 'error-rate', check: { kind: 'shell', config: { command: ['true'] } } }] };
const signOff = { title: 'Batch healthy?', quorum: 2, checklist: [{ id: 'dashboards', label: 'Dashboards are green' }] };

function document(forEach: Record<string, unknown>, hosts: unknown = ['web-1', 'web-2', 'web-3', 'web-4']) {
  return {
    id: 'release',
    title: 'Release',
    parameters: { hosts: { type: 'list', default: hosts }, soak: { type: 'string', default: '10m' } },
    nodes: [
      { id: 'discover', kind: 'shell', config: { command: ['list-hosts'] } },
      { id: 'fleet', kind: 'forEach', config: { items: 'params.hosts', batchSize: 1, ...forEach } },
      { id: 'deploy', kind: 'shell', parent: 'fleet', config: { command: ['deploy', '{{ item }}'] } },
    ],
    edges: [{ from: 'discover', to: 'fleet' }],
  };
}

function problemsOf(forEach: Record<string, unknown>): Problem[] {
  const result = validateRunbook(document(forEach));
  return result.ok ? [] : result.problems;
}

async function plan(forEach: Record<string, unknown>, params: Record<string, unknown> = {}) {
  const result = validateRunbook(document(forEach));
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  const preview = await previewPlan(result.runbook, params);
  if (!preview.ok) throw new Error(JSON.stringify(preview.problems));
  return preview as Extract<PlanPreview, { ok: true }>;
}
const fleetOf = (preview: Extract<PlanPreview, { ok: true }>) => preview.stages.flatMap((s) => s.nodes).find((n) => n.id === 'fleet')!.forEach!;

describe('forEach afterEachBatch in the language', () => {
  it('accepts a soak, a checkpoint or both, with the defaults the canary has', () => {
    const result = validateRunbook(document({ afterEachBatch: { observe: { duration: '10m' }, checkpoint: { title: 'Go on?' } } }));
    expect(result.ok).toBe(true);
    const config = (result.ok && result.runbook.nodes[1]!.config) as StepConfig<'forEach'>;
    expect(config.afterEachBatch).toEqual({
      observe: { duration: '10m', interval: '30s', guards: [] },
      checkpoint: expect.objectContaining({ title: 'Go on?', quorum: 1, onTimeout: 'fail', approvers: { roles: ['approver', 'admin'], users: [] } }),
    });
  });

  it('refuses an empty gate, a misspelt part and bad values, each at its path', () => {
    expect(problemsOf({ afterEachBatch: {} })).toEqual([{ path: 'nodes.1.config.afterEachBatch', message: 'a gate needs an observe window, a checkpoint, or both' }]);
    expect(problemsOf({ afterEachBatch: { observe: soak, checkpiont: { title: 'x' } } })).toEqual([
      { path: 'nodes.1.config.afterEachBatch', message: expect.stringMatching(/Unrecognized key.*checkpiont/) },
    ]);
    expect(problemsOf({ afterEachBatch: { observe: { duration: 'ten minutes' }, checkpoint: {} } }).map((p) => p.path)).toEqual([
      'nodes.1.config.afterEachBatch.observe.duration',
      'nodes.1.config.afterEachBatch.checkpoint.title',
    ]);
    // A gate watches the rollout from the run, between batches: there is no current item.
    const perHost = { name: 'host', check: { kind: 'http', config: { url: 'http://{{ item }}/healthz' } } };
    expect(problemsOf({ afterEachBatch: { observe: { duration: '1m', guards: [perHost] } } })).toEqual([
      { path: 'nodes.1.config.afterEachBatch.observe.guards.0.check.config.url', message: expect.stringMatching(/reads item, but "fleet" is not inside a forEach/) },
    ]);
  });

  it('checks its checkpoint like every checkpoint: someone must be able to decide it', () => {
    expect(problemsOf({ afterEachBatch: { checkpoint: { title: 'Go on?', approvers: { roles: ['viewer'] } } } })).toEqual([
      { path: 'nodes.1.config.afterEachBatch.checkpoint.approvers.roles', message: expect.stringMatching(/^no one may decide/) },
    ]);
    expect(problemsOf({ afterEachBatch: { checkpoint: { title: 'Go on?', onTimeout: 'continue' } } })).toEqual([
      { path: 'nodes.1.config.afterEachBatch.checkpoint.timeout', message: 'onTimeout is continue, but without a timeout the checkpoint waits for ever' },
    ]);
  });

  it('gives the inspector a labelled field; a runbook without it keeps its plan hash', () => {
    expect(stepKinds.forEach.meta.fields?.afterEachBatch).toMatchObject({ label: 'Gate after each batch' });
    const without = validateRunbook(document({}));
    if (!without.ok) throw new Error('invalid');
    expect(without.runbook.nodes[1]!.config).not.toHaveProperty('afterEachBatch');
    expect(planHash(without.runbook)).toBe(without.planHash);
  });
});

describe('which gate follows which batch', () => {
  const gates = (config: Parameters<typeof gateAfterBatch>[1], batches: number) =>
    Array.from({ length: batches }, (_, i) => gateAfterBatch('fleet', config, i + 1, batches)).map((g) => g && { id: g.id, observe: !!g.observe, checkpoint: g.checkpoint?.title });

  const observe = { duration: '10m', interval: '30s', guards: [] };
  const checkpoint = (title: string) => ({ title, instructions: '', approvers: { roles: ['approver'], users: [] }, quorum: 1, fourEyes: false, checklist: [], onTimeout: 'fail' as const });

  it('soaks after every batch, the last too, and asks between batches only', () => {
    expect(gates({ afterEachBatch: { observe, checkpoint: checkpoint('Go on?') } }, 3)).toEqual([
      { id: 'fleet.batch-1', observe: true, checkpoint: 'Go on?' },
      { id: 'fleet.batch-2', observe: true, checkpoint: 'Go on?' },
      { id: 'fleet.batch-3', observe: true, checkpoint: undefined },
    ]);
    expect(gates({ afterEachBatch: { checkpoint: checkpoint('Go on?') } }, 2)).toEqual([{ id: 'fleet.batch-1', observe: false, checkpoint: 'Go on?' }, undefined]);
  });

  it("after the canary, the canary's parts stand in and a missing one falls back", () => {
    const canary = { size: 1, checkpoint: checkpoint('Canary fine?') };
    expect(gates({ canary, afterEachBatch: { observe, checkpoint: checkpoint('Go on?') } }, 3)).toEqual([
      { id: 'fleet.canary', observe: true, checkpoint: 'Canary fine?' },
      { id: 'fleet.batch-2', observe: true, checkpoint: 'Go on?' },
      { id: 'fleet.batch-3', observe: true, checkpoint: undefined },
    ]);
    // Without afterEachBatch: as before, the canary gate only, even when the canary is the only batch.
    expect(gates({ canary }, 1)).toEqual([{ id: 'fleet.canary', observe: false, checkpoint: 'Canary fine?' }]);
    expect(gates({ canary: { size: 1 } }, 2)).toEqual([undefined, undefined]);
  });
});

describe('plan preview: gates after batches', () => {
  it('lists each gate with its soak and sign-off, and counts the sign-off waits', async () => {
    const fleet = fleetOf(await plan({ afterEachBatch: { observe: soak, checkpoint: signOff } }, { soak: '20m' }));
    expect(fleet.gates).toEqual([
      { id: 'fleet.batch-1', afterBatch: 1, canary: false, observe: { duration: '20m', interval: '30s', guards: ['error-rate'] }, checkpoint: { title: 'Batch healthy?' } },
      { id: 'fleet.batch-2', afterBatch: 2, canary: false, observe: { duration: '20m', interval: '30s', guards: ['error-rate'] }, checkpoint: { title: 'Batch healthy?' } },
      { id: 'fleet.batch-3', afterBatch: 3, canary: false, observe: { duration: '20m', interval: '30s', guards: ['error-rate'] }, checkpoint: { title: 'Batch healthy?' } },
      { id: 'fleet.batch-4', afterBatch: 4, canary: false, observe: { duration: '20m', interval: '30s', guards: ['error-rate'] } },
    ]);
    expect(fleet.checkpoints).toEqual([{ nodeId: 'fleet.batch-<n>', canary: false, afterEachBatch: { batches: [1, 2, 3] }, waits: 3, quorum: 2 }]);
    expect(fleet.decisions).toBe(6);
  });

  it("with a canary: the canary's sign-off once, the per-batch one after the others but the last", async () => {
    const preview = await plan({ canary: { size: 1, checkpoint: { title: 'Canary fine?' } }, afterEachBatch: { observe: soak, checkpoint: signOff } });
    const fleet = fleetOf(preview);
    expect(fleet.gates!.map((g) => [g.id, g.afterBatch, g.canary, g.checkpoint?.title])).toEqual([
      ['fleet.canary', 1, true, 'Canary fine?'],
      ['fleet.batch-2', 2, false, 'Batch healthy?'],
      ['fleet.batch-3', 3, false, 'Batch healthy?'],
      ['fleet.batch-4', 4, false, undefined],
    ]);
    expect(fleet.checkpoints).toEqual([
      { nodeId: 'fleet.canary', canary: true, waits: 1, quorum: 1 },
      { nodeId: 'fleet.batch-<n>', canary: false, afterEachBatch: { batches: [2, 3] }, waits: 2, quorum: 2 },
    ]);
    expect(preview.checkpoints.map((c) => [c.nodeId, c.title, checkpointWaits(c)])).toEqual([
      ['fleet.canary', 'Canary fine?', ' — once, after the canary batch of fleet'],
      ['fleet.batch-<n>', 'Batch healthy?', ' — 2 times, after batches 2, 3 of fleet (not after the last)'],
    ]);
    expect(preview.checkpoints[1]).toMatchObject({ quorum: 2, batchGate: { forEachId: 'fleet', batches: [2, 3], waits: 2 } });
  });

  it('leaves the counts open while the items are known only during the run', async () => {
    const result = validateRunbook({ ...document({ afterEachBatch: { checkpoint: signOff } }), nodes: document({}).nodes.map((n) => (n.id === 'fleet' ? { ...n, config: { ...n.config, items: 'steps.discover.output.hosts', afterEachBatch: { checkpoint: signOff } } } : n)) });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const preview = (await previewPlan(result.runbook, {})) as Extract<PlanPreview, { ok: true }>;
    const fleet = fleetOf(preview);
    expect(fleet.gates).toBeUndefined();
    expect(fleet.checkpoints).toEqual([{ nodeId: 'fleet.batch-<n>', canary: false, afterEachBatch: {}, quorum: 2 }]);
    expect(fleet.decisions).toBeUndefined();
    expect(checkpointWaits(preview.checkpoints[0]!)).toBe(' — after each batch of fleet but the last (batches known during the run)');
  });

  it('a single batch soaks once and asks nothing', async () => {
    const fleet = fleetOf(await plan({ batchSize: 10, afterEachBatch: { observe: soak, checkpoint: signOff } }));
    expect(fleet.gates!.map((g) => [g.id, !!g.observe, g.checkpoint])).toEqual([['fleet.batch-1', true, undefined]]);
    expect(fleet.checkpoints).toEqual([{ nodeId: 'fleet.batch-<n>', canary: false, afterEachBatch: { batches: [] }, waits: 0, quorum: 2 }]);
  });
});

describe("README's rollout example", () => {
  it('is a valid forEach node, with gates where the README says they are', async () => {
    const { readFileSync } = await import('node:fs');
    const { parse } = await import('yaml');
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const block = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).find((text) => text.includes('afterEachBatch:'));
    const [node] = parse(block!) as Record<string, unknown>[];
    const result = validateRunbook({
      id: 'readme-release',
      title: 'README release',
      parameters: { hosts: { type: 'list', default: ['a', 'b', 'c'] }, canarySoak: { type: 'string', default: '10m' }, batchSoak: { type: 'string', default: '20m' }, prometheus: { type: 'string', default: 'http://prometheus:9090' }, healthUrl: { type: 'string', default: 'http://a/healthz' } },
      nodes: [node, { id: 'deploy', kind: 'shell', parent: 'rollout', config: { command: ['deploy', '{{ item }}'] } }],
    });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const preview = (await previewPlan(result.runbook, {})) as Extract<PlanPreview, { ok: true }>;
    const rollout = preview.stages[0]!.nodes[0]!.forEach!;
    expect(rollout.gates!.map((g) => [g.id, g.observe?.duration, g.checkpoint?.title])).toEqual([
      ['rollout.canary', '10m', 'Canary inspected?'],
      ['rollout.batch-2', '20m', 'Batch looks healthy?'],
      ['rollout.batch-3', '20m', undefined],
    ]);
  });
});
