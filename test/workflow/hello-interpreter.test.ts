import { WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProtocol, type DecideCheckpointInput, type RunState } from '@runwright/runbook';
import { startHttpServer } from '../support/http-server.js';
import { shippedRunbook, testRunbook } from '../support/runbooks.js';
import { interpreterHarness, waitForState } from './interpreter-harness.js';

let harness: Awaited<ReturnType<typeof interpreterHarness>>;
let health: Awaited<ReturnType<typeof startHttpServer>>;

beforeAll(async () => {
  harness = await interpreterHarness();
  health = await startHttpServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}'));
});

afterAll(async () => {
  await harness?.stop();
  await health?.close();
});

describe('the hello runbook on a real Temporal server', () => {
  it('runs the shell step, waits at the checkpoint, and completes after approval', async () => {
    const { runbook, planHash } = shippedRunbook('hello');
    const { handle } = await harness.startRunbook({ runbook, planHash }, { who: 'Ada; touch /tmp/pwned', healthUrl: `${health.url}/healthz` });

    const waiting = await waitForState(handle, (s) => s.status === 'waiting');
    expect(waiting.nodes['say-hello']).toMatchObject({ status: 'succeeded', attempts: 1 });
    // The parameter reached the script as an environment value, never as shell code.
    expect((waiting.nodes['say-hello']!.output as { stdout: string }).stdout).toMatch(/^hello, Ada; touch \/tmp\/pwned, from /);
    expect(waiting.nodes.confirm!.status).toBe('waiting');
    expect(waiting.nodes['check-health']!.status).toBe('pending');
    expect(waiting.pendingCheckpoints.map((p) => p.nodeId)).toEqual(['confirm']);

    const decision: DecideCheckpointInput = {
      nodeId: 'confirm',
      decision: 'approve',
      planHash,
      decider: { user: 'bob', roles: ['approver'] },
      comment: 'greeting seen',
      checklist: { 'greeting-read': true },
    };
    const result = await handle.executeUpdate(runProtocol.updates.decideCheckpoint, { args: [decision] });
    expect(result).toMatchObject({ accepted: true, outcome: 'approved', decision: { by: 'bob', comment: 'greeting seen' } });

    const final = (await handle.result()) as RunState;
    expect(final.status).toBe('succeeded');
    expect(final.nodes['check-health']).toMatchObject({ status: 'succeeded', output: { status: 200, json: { status: 'ok' } } });
    expect(final.nodes.confirm!.output).toMatchObject({ outcome: 'approved', decisions: [{ by: 'bob', checklist: { 'greeting-read': true } }] });
    expect(health.requests.at(-1)?.headers['idempotency-key']).toBe(`${handle.workflowId}/check-health`);
  });

  it('refuses bad decisions in the validator, leaving no trace in history', async () => {
    const { runbook, planHash } = shippedRunbook('hello');
    const { handle } = await harness.startRunbook({ runbook, planHash }, { healthUrl: `${health.url}/healthz` });
    await waitForState(handle, (s) => s.status === 'waiting');
    const base: DecideCheckpointInput = { nodeId: 'confirm', decision: 'approve', planHash, decider: { user: 'bob', roles: ['approver'] }, checklist: { 'greeting-read': true } };

    const refusals: [Partial<DecideCheckpointInput>, RegExp][] = [
      [{ checklist: {} }, /"greeting-read" .* is required/],
      [{ checklist: { 'greeting-read': false } }, /must be ticked/],
      [{ decider: { user: 'eve', roles: ['viewer'] } }, /eve may not decide/],
      [{ planHash: 'sha256:other' }, /the decision is for plan sha256:other/],
      [{ nodeId: 'say-hello' }, /no checkpoint "say-hello" is waiting/],
    ];
    for (const [change, message] of refusals) {
      const error = await handle.executeUpdate(runProtocol.updates.decideCheckpoint, { args: [{ ...base, ...change }] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
      expect((error as WorkflowUpdateFailedError).cause?.message).toMatch(message);
    }
    const acceptedUpdates = async () =>
      (await handle.fetchHistory()).events!.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length;
    expect(await acceptedUpdates()).toBe(0);

    await handle.executeUpdate(runProtocol.updates.decideCheckpoint, { args: [{ ...base, decision: 'reject', checklist: {}, comment: 'not today' }] });
    const error = await handle.result().catch((e: unknown) => e);
    expect(await acceptedUpdates()).toBe(1);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const state = await handle.query<RunState>(runProtocol.queries.state);
    expect(state.status).toBe('failed');
    expect(state.nodes.confirm).toMatchObject({ status: 'failed', error: { type: 'CheckpointRejected', message: 'checkpoint rejected by bob: not today' } });
    expect(state.nodes['check-health']!.status).toBe('skipped');
  });

  it('enforces four-eyes: the starter may not approve', async () => {
    const { runbook, planHash } = testRunbook({
      nodes: [{ id: 'gate', kind: 'checkpoint', config: { title: 'Gate', fourEyes: true } }],
    });
    const { handle } = await harness.startRunbook({ runbook, planHash }, {});
    await waitForState(handle, (s) => s.status === 'waiting');
    const asStarter = { nodeId: 'gate', decision: 'approve' as const, planHash, decider: { user: 'alice', roles: ['admin'] } };
    const error = await handle.executeUpdate(runProtocol.updates.decideCheckpoint, { args: [asStarter] }).catch((e: unknown) => e);
    expect((error as WorkflowUpdateFailedError).cause?.message).toMatch(/four-eyes: alice started this run/);
    await handle.executeUpdate(runProtocol.updates.decideCheckpoint, { args: [{ ...asStarter, decider: { user: 'carol', roles: ['approver'] } }] });
    expect(((await handle.result()) as RunState).status).toBe('succeeded');
  });

  it('retries a failing action per its policy and records the typed error and the attempts', async () => {
    const { runbook, planHash } = testRunbook({
      nodes: [
        { id: 'fails', kind: 'shell', retry: { maximumAttempts: 2, initialInterval: '100ms' }, config: { command: ['sh', '-c', 'echo broken >&2; exit 3'] } },
        { id: 'after', kind: 'shell', config: { command: ['true'] } },
      ],
      edges: [{ from: 'fails', to: 'after' }],
    });
    const { handle } = await harness.startRunbook({ runbook, planHash }, {});
    const error = await handle.result().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const state = await handle.query<RunState>(runProtocol.queries.state);
    expect(state.status).toBe('failed');
    expect(state.error).toMatchObject({ nodeId: 'fails' });
    expect(state.nodes.fails).toMatchObject({
      status: 'failed',
      attempts: 2,
      error: { type: 'UnexpectedExitCode', message: 'sh exited with 3 (expected 0): broken' },
    });
    expect(state.nodes.after!.status).toBe('skipped');
  });
});
