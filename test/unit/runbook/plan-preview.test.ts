import { describe, expect, it } from 'vitest';
import { planBatches, previewPlan, validateRunbook, type PlanPreview, type Runbook } from '@runwright/runbook';
import { shippedRunbook } from '../../support/runbooks.js';
import { releaseDocument } from './fixtures/release-document.js';

const release = (() => {
  const result = validateRunbook(releaseDocument);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.runbook;
})();

async function preview(runbook: Runbook, params: Record<string, unknown>): Promise<Extract<PlanPreview, { ok: true }>> {
  const result = await previewPlan(runbook, params, { startedBy: 'alice' });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result;
}
const byId = (plan: Extract<PlanPreview, { ok: true }>) => new Map(plan.stages.flatMap((s) => s.nodes).map((n) => [n.id, n]));

describe('previewPlan', () => {
  it('groups nodes into stages that start together, in dependency order', async () => {
    const plan = await preview(release, { version: 'v1.2' });
    expect(plan.stages.map((s) => s.nodes.map((n) => n.id))).toEqual([['build', 'notify'], ['lint', 'pick'], ['approve'], ['rollout'], ['done']]);
    expect(plan.params).toEqual({ version: 'v1.2', hosts: ['web-1', 'web-2', 'web-3', 'web-4', 'web-5'], mode: 'safe', announce: false });
  });

  it('resolves what the parameters decide and leaves what depends on earlier steps as written', async () => {
    const nodes = byId(await preview(release, { version: 'v1.2' }));
    expect(nodes.get('build')).toMatchObject({ runs: 'yes', pending: [], config: { command: ['make', 'release', 'VERSION=v1.2'] } });
    expect(nodes.get('lint')).toMatchObject({ runs: 'yes', pending: ['command.1'], config: { command: ['echo', '{{ steps.build.output.stdout }}'] } });
    expect(nodes.get('build')!.policies).toEqual({ timeout: '5m', onFailure: 'rollback' });
  });

  it('follows conditions and branches the parameters decide, and propagates skipping', async () => {
    const safe = byId(await preview(release, { version: 'v1.2' }));
    expect(safe.get('notify')).toMatchObject({ runs: 'no', why: 'its condition params.announce is false', condition: { known: true, value: false } });
    expect(safe.get('pick')!.branch).toEqual({ labels: ['safe', 'fast'], value: 'safe', takes: ['safe'] });
    expect(safe.get('approve')!.runs).toBe('yes');
    expect(safe.get('rollout')!.runs).toBe('yes'); // One live path is enough for a join.

    const fast = byId(await preview(release, { version: 'v1.2', mode: 'fast', announce: true }));
    expect(fast.get('notify')).toMatchObject({ runs: 'yes', config: { url: 'http://chat.internal/v1.2' } });
    expect(fast.get('approve')).toMatchObject({ runs: 'no', why: 'every path to it is skipped' });
    expect(fast.get('rollout')!.runs).toBe('yes');
  });

  it('lists forEach items, the canary batch and the batches, and the body per item', async () => {
    const rollout = byId(await preview(release, { version: 'v1.2' })).get('rollout')!.forEach!;
    expect(rollout.items!.map((i) => i.key)).toEqual(['web-1', 'web-2', 'web-3', 'web-4', 'web-5']);
    expect(rollout.batches).toEqual([
      { number: 1, canary: true, keys: ['web-1'] },
      { number: 2, canary: false, keys: ['web-2', 'web-3', 'web-4'] },
      { number: 3, canary: false, keys: ['web-5'] },
    ]);
    expect(rollout.failuresTolerated).toBe(1);
    expect(rollout.body.map((s) => s.nodes.map((n) => n.id))).toEqual([['upgrade'], ['verify']]);
    expect(rollout.body[0]!.nodes[0]).toMatchObject({ pending: ['command.1'], config: { command: ['upgrade', '{{ item }}', 'v1.2'] } });
  });

  it('lists checkpoints with their rules and the rollback plan, newest first', async () => {
    const plan = await preview(release, { version: 'v1.2' });
    expect(plan.checkpoints).toEqual([
      { nodeId: 'approve', runs: 'yes', title: 'Release v1.2?', approvers: { roles: ['approver', 'admin'], users: [] }, quorum: 1, fourEyes: true, checklist: [] },
    ]);
    expect(plan.rollback.map((r) => [r.nodeId, r.perItem, r.config])).toEqual([
      ['upgrade', true, expect.objectContaining({ command: ['downgrade', '{{ item }}'] })],
      ['build', false, expect.objectContaining({ command: ['make', 'clean'] })],
    ]);
  });

  it('refuses parameters the runbook would refuse, at params.<name>', async () => {
    expect(await previewPlan(release, { version: 'latest', hots: [] })).toEqual({
      ok: false,
      problems: [
        { path: 'params.version', message: 'must match ^v[0-9.]+$' },
        { path: 'params', message: expect.stringContaining('hots') },
      ],
    });
  });

  it('previews the shipped hello runbook', async () => {
    const plan = await preview(shippedRunbook('hello').runbook, { who: 'Ada' });
    expect(plan.stages.map((s) => s.nodes.map((n) => [n.id, n.runs]))).toEqual([[['say-hello', 'yes']], [['confirm', 'yes']], [['check-health', 'yes']]]);
    expect(plan.stages[0]!.nodes[0]!.config).toMatchObject({ env: { WHO: 'Ada' } });
  });
});

describe('planBatches', () => {
  it('puts the canary first, never makes an empty batch, and resolves percentages upwards', () => {
    const ten = Array.from({ length: 10 }, (_, i) => i);
    expect(planBatches(ten, { batchSize: 4 }).map((b) => b.length)).toEqual([4, 4, 2]);
    expect(planBatches(ten, { batchSize: '25%', canary: { size: '5%' } }).map((b) => b.length)).toEqual([1, 3, 3, 3]);
    expect(planBatches(ten, { batchSize: 0 }).map((b) => b.length)).toEqual(Array(10).fill(1));
    expect(planBatches([], { batchSize: 2, canary: { size: 1 } })).toEqual([]);
  });
});
