import { describe, expect, it } from 'vitest';
import { previewPlan, validateRunbook } from '@runwright/runbook';
import { checkpointWaits } from '../../../apps/editor/src/editor/checkpoint-waits-text.js';

// The plan preview panel tells an operator how often each checkpoint will stop the rollout.
async function checkpointsOf(params: Record<string, unknown>) {
  const result = validateRunbook({
    id: 'fleet',
    title: 'Fleet',
    parameters: { hosts: { type: 'list', default: ['web-1', 'web-2', 'web-3'] } },
    nodes: [
      { id: 'fleet', kind: 'forEach', config: { items: 'params.hosts', batchSize: 2, canary: { size: 1, checkpoint: { title: 'Canary fine?' } } } },
      { id: 'drained', kind: 'checkpoint', parent: 'fleet', config: { title: 'Drained?' } },
      { id: 'first', kind: 'checkpoint', parent: 'fleet', when: "item = 'web-1'", config: { title: 'First host?' } },
      { id: 'done', kind: 'checkpoint', config: { title: 'All done?' } },
    ],
    edges: [{ from: 'fleet', to: 'done' }],
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  const plan = await previewPlan(result.runbook, params);
  if (!plan.ok) throw new Error(JSON.stringify(plan.problems));
  return Object.fromEntries(plan.checkpoints.map((c) => [c.nodeId, checkpointWaits(c)]));
}

describe('how often a planned checkpoint waits, as the plan preview says it', () => {
  it('names the items a per-item checkpoint waits for, the canary once, and nothing for a plain checkpoint', async () => {
    const text = await checkpointsOf({});
    expect(text.drained).toBe(' — 3 times, once per item of fleet (web-1, web-2, web-3)');
    expect(text.first).toBe(' — 1 time, once per item of fleet (web-1)');
    expect(text['fleet.canary']).toBe(' — once, after the canary batch of fleet');
    expect(text.done).toBe('');
  });
});
