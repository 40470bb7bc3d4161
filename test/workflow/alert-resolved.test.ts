import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProtocol } from '@runwright/runbook';
import { decide, edge, finalState, interpreterHarness, shell, waitForState } from './interpreter-harness.js';

let harness: Awaited<ReturnType<typeof interpreterHarness>>;
beforeAll(async () => {
  harness = await interpreterHarness();
});
afterAll(async () => harness?.stop());

const remediation = (onAlertResolved?: string) => ({
  defaults: { timeout: '1m', ...(onAlertResolved && { onAlertResolved }) },
  nodes: [shell('diagnose', ['true']), { id: 'approve-restart', kind: 'checkpoint', config: { title: 'Restart the service?' } }, shell('restart', ['true'])],
  edges: [edge('diagnose', 'approve-restart'), edge('approve-restart', 'restart')],
});

describe('the alertResolved signal', () => {
  it('ends waiting steps when the runbook says so: nothing more starts and the run succeeds', async () => {
    const { handle } = await harness.start(remediation('endWaiting'));
    await waitForState(handle, (s) => s.status === 'waiting');
    await handle.signal(runProtocol.signals.alertResolved, { resolvedAt: '2026-11-27T03:00:00Z' });
    const { state, error } = await finalState(handle);
    expect(error).toBeUndefined();
    expect(state.status).toBe('succeeded');
    expect(state.alertResolved).toMatchObject({ resolvedAt: '2026-11-27T03:00:00Z', endedWaiting: true });
    expect(state.nodes['approve-restart']).toMatchObject({ status: 'skipped', error: { type: 'Abandoned' } });
    expect(state.nodes.restart!.status).toBe('skipped');
    expect(state.pendingCheckpoints).toEqual([]);
  });

  it('is only recorded when the runbook ignores it; the checkpoint keeps waiting', async () => {
    const { handle, planHash } = await harness.start(remediation());
    await waitForState(handle, (s) => s.status === 'waiting');
    await handle.signal(runProtocol.signals.alertResolved, {});
    const recorded = await waitForState(handle, (s) => s.alertResolved !== undefined);
    expect(recorded.alertResolved!.endedWaiting).toBe(false);
    expect(recorded.nodes['approve-restart']!.status).toBe('waiting');
    await decide(handle, planHash, { nodeId: 'approve-restart', decision: 'approve' });
    const { state } = await finalState(handle);
    expect(state.nodes.restart!.status).toBe('succeeded');
  });
});
