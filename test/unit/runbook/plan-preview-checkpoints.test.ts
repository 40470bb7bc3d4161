import { describe, expect, it } from 'vitest';
import { previewPlan, validateRunbook, type PlanPreview } from '@runwright/runbook';

// How many decisions a rollout asks for is what an operator weighs before starting it: the
// preview counts each checkpoint inside a forEach once per item, and the canary's own once.
function runbook(items: string, extra: { canaryQuorum?: number; when?: string } = {}) {
  const result = validateRunbook({
    id: 'fleet-upgrade',
    title: 'Fleet upgrade',
    parameters: { hosts: { type: 'list', default: ['web-1', 'web-2', 'web-3'] }, go: { type: 'boolean', default: true } },
    nodes: [
      { id: 'discover', kind: 'shell', config: { command: ['list-hosts'] } },
      {
        id: 'fleet',
        kind: 'forEach',
        ...(extra.when && { when: extra.when }),
        config: { items, batchSize: 2, canary: { size: 1, checkpoint: { title: 'Canary looks fine?', quorum: extra.canaryQuorum ?? 2 } } },
      },
      { id: 'drain', kind: 'shell', parent: 'fleet', config: { command: ['drain', '{{ item }}'] } },
      { id: 'drained', kind: 'checkpoint', parent: 'fleet', config: { title: 'Is {{ item }} drained?' } },
      { id: 'first-host', kind: 'checkpoint', parent: 'fleet', when: "item = 'web-1'", config: { title: 'First host: look at the logs' } },
      { id: 'if-slow', kind: 'checkpoint', parent: 'fleet', when: 'steps.drain.output.exitCode = 0', config: { title: 'Drain was slow; go on?' } },
      { id: 'upgrade', kind: 'shell', parent: 'fleet', config: { command: ['upgrade', '{{ item }}'] } },
    ],
    edges: [
      { from: 'discover', to: 'fleet' },
      { from: 'drain', to: 'drained' },
      { from: 'drain', to: 'if-slow' },
      { from: 'drained', to: 'upgrade' },
      { from: 'first-host', to: 'upgrade' },
    ],
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.runbook;
}

async function preview(items: string, params: Record<string, unknown> = {}, extra: Parameters<typeof runbook>[1] = {}) {
  const result = await previewPlan(runbook(items, extra), params);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result as Extract<PlanPreview, { ok: true }>;
}
const fleetOf = (plan: Extract<PlanPreview, { ok: true }>) => plan.stages.flatMap((s) => s.nodes).find((n) => n.id === 'fleet')!.forEach!;

describe('plan preview: checkpoints inside forEach', () => {
  it('lists per item which checkpoints wait, the canary checkpoint once, and the decisions the rollout asks for', async () => {
    const plan = await preview('params.hosts');
    const fleet = fleetOf(plan);
    expect(fleet.checkpoints).toEqual([
      { nodeId: 'drained', canary: false, items: ['web-1', 'web-2', 'web-3'], waits: 3, quorum: 1 },
      { nodeId: 'first-host', canary: false, items: ['web-1'], waits: 1, quorum: 1 },
      // Its condition reads a step's output: the run decides, so it may wait for every item.
      { nodeId: 'if-slow', canary: false, items: [], maybeItems: ['web-1', 'web-2', 'web-3'], waits: 3, quorum: 1 },
      { nodeId: 'fleet.canary', canary: true, waits: 1, quorum: 2 },
    ]);
    expect(fleet.decisions).toBe(3 + 1 + 3 + 2);
  });

  it('marks them in the run-wide checkpoint list: per item with the forEach and items, the canary under the id the inbox uses', async () => {
    const plan = await preview('params.hosts', { hosts: ['db-1', 'web-1'] });
    expect(plan.checkpoints.map((c) => [c.nodeId, c.runs, c.perItem, c.canaryOf])).toEqual([
      // In plan order: first-host waits for nothing before it, drained after drain.
      ['first-host', 'maybe', { forEachId: 'fleet', items: ['web-1'], waits: 1 }, undefined],
      ['drained', 'yes', { forEachId: 'fleet', items: ['db-1', 'web-1'], waits: 2 }, undefined],
      ['if-slow', 'maybe', { forEachId: 'fleet', items: [], maybeItems: ['db-1', 'web-1'], waits: 2 }, undefined],
      ['fleet.canary', 'yes', undefined, 'fleet'],
    ]);
    expect(plan.checkpoints.find((c) => c.canaryOf)).toMatchObject({ title: 'Canary looks fine?', quorum: 2 });
    expect(plan.checkpoints[1]).toMatchObject({ title: 'Is {{ item }} drained?' });
  });

  it('leaves the counts open when the items are known only during the run', async () => {
    const fleet = fleetOf(await preview('steps.discover.output.hosts'));
    expect(fleet.itemsPending).toBe('steps.discover.output.hosts');
    expect(fleet.checkpoints).toEqual([
      { nodeId: 'drained', canary: false, quorum: 1 },
      { nodeId: 'first-host', canary: false, quorum: 1 },
      { nodeId: 'if-slow', canary: false, quorum: 1 },
      { nodeId: 'fleet.canary', canary: true, waits: 1, quorum: 2 },
    ]);
    expect(fleet.decisions).toBeUndefined();
  });

  it('counts no waits for a forEach the parameters skip', async () => {
    const fleet = fleetOf(await preview('params.hosts', { go: false }, { when: 'params.go' }));
    expect(fleet.checkpoints.map((c) => [c.nodeId, c.waits])).toEqual([
      ['drained', 0],
      ['first-host', 0],
      ['if-slow', 0],
      ['fleet.canary', 0],
    ]);
    expect(fleet.decisions).toBe(0);
  });
});
