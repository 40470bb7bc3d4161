import { WorkflowFailedError, WorkflowNotFoundError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { RunState } from '@runwright/runbook';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { historyText } from '../support/history-text.js';
import { startHttpServer } from '../support/http-server.js';
import { decide, finalState, interpreterHarness, waitForState } from './interpreter-harness.js';

// The seed's release rule: watch each batch before the next one goes, and sign it off. Gates
// after every batch (forEach `afterEachBatch`), on real Temporal, against a real HTTP "fleet":
// items deploy to it and undo there, the guard reads its health, and it records what happened.

let harness: Awaited<ReturnType<typeof interpreterHarness>>;
let fleet: Awaited<ReturnType<typeof startHttpServer>>;
/** Hosts carrying the new version now, and at how many the fleet turns unhealthy (0: never). */
const deployed = new Set<string>();
let unhealthyAt = 0;

beforeAll(async () => {
  harness = await interpreterHarness();
  fleet = await startHttpServer((request, response) => {
    const [, action, host] = (request.url ?? '').split('/');
    if (request.method === 'POST' && action === 'deploy') deployed.add(host!);
    if (request.method === 'POST' && action === 'undo') deployed.delete(host!);
    const sick = action === 'health' && unhealthyAt > 0 && deployed.size >= unhealthyAt;
    response.writeHead(sick ? 500 : 200, { 'content-type': 'application/json' }).end(JSON.stringify({ deployed: deployed.size, errorRate: sick ? 0.12 : 0 }));
  });
});
afterAll(async () => {
  await harness?.stop();
  await fleet?.close();
});
beforeEach(() => {
  deployed.clear();
  unhealthyAt = 0;
  fleet.requests.length = 0;
});

const hosts = ['web-1', 'web-2', 'web-3', 'web-4'];
const healthGuard = () => ({ name: 'health', check: { kind: 'http', config: { url: `${fleet.url}/health` } } });
const soak = () => ({ duration: '{{ params.soak }}', interval: '200ms', guards: [healthGuard()] });
const signOff = { title: 'Batch looks healthy?', checklist: [{ id: 'dashboards', label: 'Dashboards are green' }] };

/** A rollout over `params.hosts` in batches of one: each item deploys to the fleet and undoes it on rollback. */
function release(forEach: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    parameters: { hosts: { type: 'list' }, soak: { type: 'string', default: '600ms' } },
    ...extra,
    nodes: [
      { id: 'fan', kind: 'forEach', config: { items: 'params.hosts', batchSize: 1, ...forEach } },
      {
        id: 'deploy',
        kind: 'http',
        parent: 'fan',
        config: { method: 'POST', url: `${fleet.url}/deploy/{{ item }}` },
        rollback: { kind: 'http', config: { method: 'POST', url: `${fleet.url}/undo/{{ item }}` } },
      },
    ],
  };
}

const calls = (action: string) => fleet.requests.filter((r) => r.method === 'POST' && r.url.startsWith(`/${action}/`)).map((r) => r.url.split('/')[2]);
const batchExists = (handle: WorkflowHandle, n: number) =>
  harness.env.client.workflow
    .getHandle(`${handle.workflowId}/fan/batch-${n}`)
    .describe()
    .then(
      () => true,
      (e: unknown) => (e instanceof WorkflowNotFoundError ? false : Promise.reject(e)),
    );
/** Why the run's validator refused a decision (it never entered history). */
async function refusal(decision: Promise<unknown>): Promise<string> {
  const error = await decision.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  return (error as WorkflowUpdateFailedError).cause?.message ?? '';
}
const gatesOf = (state: RunState) => state.nodes.fan!.progress!.gates ?? [];

describe('forEach gates after every batch', () => {
  it('a guard that trips after batch 2 halts the rollout there: batches 3–4 never start, the run names the gate, the policy rolls back', async () => {
    unhealthyAt = 2;
    const { handle } = await harness.start(release({ afterEachBatch: { observe: soak() } }, { defaults: { onFailure: 'rollback' } }), { hosts });
    const { state, error } = await finalState(handle);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(state.nodes.fan).toMatchObject({
      status: 'failed',
      error: { type: 'GuardFailed', message: expect.stringMatching(/^gate fan\.batch-2 after batch 2 of 4: guard "health" failed on poll 1: .*500/) },
    });
    expect(state.error).toMatchObject({ nodeId: 'fan', message: expect.stringContaining('gate fan.batch-2 after batch 2 of 4') });
    const gates = gatesOf(state);
    expect(gates.map((g) => [g.id, g.batch, g.status])).toEqual([
      ['fan.batch-1', 1, 'passed'],
      ['fan.batch-2', 2, 'failed'],
    ]);
    expect(gates[0]!.polls).toBeGreaterThanOrEqual(2);
    expect(gates[1]!.error).toMatchObject({ type: 'GuardFailed', message: expect.stringContaining('guard "health"') });
    // `onFailure: rollback`: every item done so far is undone, newest first; the rest never ran.
    expect(state.nodes.fan!.progress).toMatchObject({
      halted: true,
      batchesDone: 2,
      items: { 'web-1': 'rolled-back', 'web-2': 'rolled-back', 'web-3': 'skipped', 'web-4': 'skipped' },
    });
    expect(calls('deploy')).toEqual(['web-1', 'web-2']);
    expect(calls('undo')).toEqual(['web-2', 'web-1']);
    expect([await batchExists(handle, 2), await batchExists(handle, 3), await batchExists(handle, 4)]).toEqual([true, false, false]);
  });

  it('waits for a sign-off between batches, decided per batch through the run update; none after the last batch', async () => {
    const { handle, planHash } = await harness.start(release({ afterEachBatch: { checkpoint: signOff } }), { hosts: hosts.slice(0, 3) });
    for (const batch of [1, 2]) {
      const waiting = await waitForState(handle, (s) => s.pendingCheckpoints.length > 0);
      expect(waiting.status).toBe('waiting');
      expect(waiting.pendingCheckpoints).toMatchObject([{ nodeId: `fan.batch-${batch}`, title: 'Batch looks healthy?', gate: { forEachId: 'fan', batch, batches: 3 } }]);
      expect(waiting.nodes.fan).toMatchObject({ status: 'waiting', progress: { batchesDone: batch, items: { [hosts[batch]!]: 'pending' } } });
      expect(await batchExists(handle, batch + 1)).toBe(false);
      // The same validator as every checkpoint: the checklist must be ticked, and a decision for
      // the next batch's gate cannot land on this one.
      expect(await refusal(decide(handle, planHash, { nodeId: `fan.batch-${batch}`, decision: 'approve', checklist: { dashboards: false } }))).toMatch(/must be ticked/);
      expect(await refusal(decide(handle, planHash, { nodeId: `fan.batch-${batch + 1}`, decision: 'approve', checklist: { dashboards: true } }))).toBe(
        `no checkpoint "fan.batch-${batch + 1}" is waiting for a decision`,
      );
      await decide(handle, planHash, { nodeId: `fan.batch-${batch}`, decision: 'approve', checklist: { dashboards: true } });
    }
    const { state, error } = await finalState(handle);
    expect(error).toBeUndefined();
    expect(gatesOf(state).map((g) => [g.id, g.status, g.decision])).toEqual([
      ['fan.batch-1', 'passed', { outcome: 'approved', by: ['bob'] }],
      ['fan.batch-2', 'passed', { outcome: 'approved', by: ['bob'] }],
    ]);
    expect(calls('deploy')).toEqual(['web-1', 'web-2', 'web-3']);
  });

  it('a rejection at batch 2 halts the rollout and rolls back per the runbook', async () => {
    const { handle, planHash } = await harness.start(release({ afterEachBatch: { checkpoint: signOff } }, { defaults: { onFailure: 'rollback' } }), { hosts: hosts.slice(0, 3) });
    await waitForState(handle, (s) => s.pendingCheckpoints[0]?.nodeId === 'fan.batch-1');
    await decide(handle, planHash, { nodeId: 'fan.batch-1', decision: 'approve', checklist: { dashboards: true } });
    await waitForState(handle, (s) => s.pendingCheckpoints[0]?.nodeId === 'fan.batch-2');
    await decide(handle, planHash, { nodeId: 'fan.batch-2', decision: 'reject', comment: 'p99 latency doubled' });
    const { state, error } = await finalState(handle);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(state.nodes.fan).toMatchObject({
      status: 'failed',
      error: { type: 'CheckpointRejected', message: 'gate fan.batch-2 after batch 2 of 3: checkpoint rejected by bob: p99 latency doubled' },
      progress: { halted: true, items: { 'web-1': 'rolled-back', 'web-2': 'rolled-back', 'web-3': 'skipped' } },
    });
    expect(gatesOf(state)[1]).toMatchObject({ id: 'fan.batch-2', status: 'failed', decision: { outcome: 'rejected', by: ['bob'] } });
    expect(state.pendingCheckpoints).toEqual([]);
    expect(calls('undo')).toEqual(['web-2', 'web-1']);
    expect(await batchExists(handle, 3)).toBe(false);
  });

  it('after a canary, its own parts stand in and the rest fall back; the soak follows the last batch too', async () => {
    const { handle, planHash } = await harness.start(
      release({ canary: { size: 1, checkpoint: { title: 'Canary fine?' } }, afterEachBatch: { observe: soak(), checkpoint: signOff } }),
      { hosts: hosts.slice(0, 3) },
    );
    // The canary gate: the per-batch soak (the canary has none of its own), then the canary's sign-off.
    let waiting = await waitForState(handle, (s) => s.pendingCheckpoints.length > 0);
    expect(waiting.pendingCheckpoints).toMatchObject([{ nodeId: 'fan.canary', title: 'Canary fine?' }]);
    expect(gatesOf(waiting)[0]).toMatchObject({ id: 'fan.canary', status: 'waiting', polls: expect.any(Number) });
    await decide(handle, planHash, { nodeId: 'fan.canary', decision: 'approve' });
    waiting = await waitForState(handle, (s) => s.pendingCheckpoints[0]?.nodeId === 'fan.batch-2');
    await decide(handle, planHash, { nodeId: 'fan.batch-2', decision: 'approve', checklist: { dashboards: true } });
    const { state, error } = await finalState(handle);
    expect(error).toBeUndefined();
    const gates = gatesOf(state);
    expect(gates.map((g) => [g.id, g.status, g.decision?.outcome])).toEqual([
      ['fan.canary', 'passed', 'approved'],
      ['fan.batch-2', 'passed', 'approved'],
      ['fan.batch-3', 'passed', undefined],
    ]);
    expect(gates.every((g) => (g.polls ?? 0) >= 2)).toBe(true);
  });

  it('a runbook without gates runs as before: no patch marker in its history, no gates in its state', async () => {
    for (const forEach of [{}, { canary: { size: 1, observe: soak() } }]) {
      const { handle } = await harness.start(release(forEach), { hosts: hosts.slice(0, 2) });
      const { state, error } = await finalState(handle);
      expect(error).toBeUndefined();
      expect(await historyText(handle)).not.toContain('foreach-batch-gates');
      expect(state.nodes.fan!.progress!.gates?.map((g) => g.id)).toEqual(forEach.canary ? ['fan.canary'] : undefined);
    }
  });

  it('keeps the gates in the run: a few events per soak poll, nothing per item', async () => {
    const count = 6;
    const many = Array.from({ length: count }, (_, i) => `host-${i + 1}`);
    const plain = await harness.start(release({}), { hosts: many });
    await finalState(plain.handle);
    const gated = await harness.start(release({ afterEachBatch: { observe: { ...soak(), duration: '0s' } } }), { hosts: many });
    const { state } = await finalState(gated.handle);
    expect(gatesOf(state).map((g) => g.polls)).toEqual(Array(count).fill(1));
    expect(await historyText(gated.handle)).toContain('foreach-batch-gates');
    const events = async (h: WorkflowHandle) => (await h.fetchHistory()).events!.length;
    const perGate = ((await events(gated.handle)) - (await events(plain.handle))) / count;
    console.log(`batch gates: ${perGate.toFixed(1)} events of the run's history per one-poll soak gate`);
    // A poll is an activity and a workflow task; a 500-item rollout in 10 gated batches of
    // 50, soaking 10 minutes at 30 s (21 polls), adds about 10 × 21 polls: far below 51,200.
    expect(perGate).toBeLessThan(20);
  });
});
