import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowHandle } from '@temporalio/client';
import { runProtocol, type DecideCheckpointInput, type RunInput, type RunState } from '@runwright/runbook';
import { testRunbook } from '../support/runbooks.js';
import { connectToTestServer, startTestWorker, type RunningWorker } from '../support/temporal.js';

/** A real worker on its own task queue, and helpers to start runbooks on it and watch them. */
export async function interpreterHarness() {
  const env: TestWorkflowEnvironment = await connectToTestServer();
  const worker: RunningWorker = await startTestWorker(env);

  /** Starts a validated runbook (a shipped one, say) as `alice`. */
  async function startRunbook(
    { runbook, planHash }: Pick<RunInput, 'runbook' | 'planHash'>,
    params: Record<string, unknown> = {},
    extra: Partial<RunInput> = {},
  ) {
    const handle = await env.client.workflow.start(runProtocol.workflowType, {
      taskQueue: worker.taskQueue,
      workflowId: `test-${randomUUID()}`,
      args: [{ runbook, planHash, params, trigger: { type: 'manual', by: 'alice' }, ...extra } satisfies RunInput],
    });
    return { handle, planHash };
  }

  /** Builds a runbook from a plain document and starts it. */
  const start = (document: Record<string, unknown>, params: Record<string, unknown> = {}, extra: Partial<RunInput> = {}) =>
    startRunbook(testRunbook(document), params, extra);

  return {
    env,
    worker,
    start,
    startRunbook,
    stop: async () => {
      await worker.stop();
      await env.teardown();
    },
  };
}

export const stateOf = (handle: WorkflowHandle) => handle.query<RunState>(runProtocol.queries.state);

export async function waitForState(handle: WorkflowHandle, until: (s: RunState) => boolean, tries = 300): Promise<RunState> {
  for (let i = 0; i < tries; i++) {
    const state = await stateOf(handle);
    if (until(state)) return state;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`run state never reached the expected condition: ${JSON.stringify(await stateOf(handle))}`);
}

/** The run's final state, whether it succeeded or failed (a failed run's state is still queryable). */
export async function finalState(handle: WorkflowHandle): Promise<{ state: RunState; error: unknown }> {
  const error = await handle.result().then(
    () => undefined,
    (e: unknown) => e,
  );
  return { state: await stateOf(handle), error };
}

export function decide(handle: WorkflowHandle, planHash: string, input: Omit<DecideCheckpointInput, 'planHash' | 'decider'> & { user?: string }) {
  const { user = 'bob', ...rest } = input;
  return handle.executeUpdate(runProtocol.updates.decideCheckpoint, {
    args: [{ planHash, decider: { user, roles: ['approver', 'operator'] }, ...rest } satisfies DecideCheckpointInput],
  });
}

export const shell = (id: string, command: string[], extra: Record<string, unknown> = {}) => ({ id, kind: 'shell', config: { command }, ...extra });
export const edge = (from: string, to: string, label?: string) => ({ from, to, ...(label !== undefined && { label }) });
