import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { runProtocol, type RunInput, type RunState } from '@runwright/runbook';
import { testRunbook } from './runbooks.js';

/** Starts the interpreter on a test runbook document and returns the handle. */
export async function startTestRun(
  env: TestWorkflowEnvironment,
  taskQueue: string,
  document: Record<string, unknown>,
  params: Record<string, unknown> = {},
) {
  const { runbook, planHash } = testRunbook(document);
  return env.client.workflow.start(runProtocol.workflowType, {
    taskQueue,
    workflowId: `test-${randomUUID()}`,
    args: [{ runbook, planHash, params, trigger: { type: 'manual', by: 'tester' } } satisfies RunInput],
  });
}

/** Waits for the run to end either way and returns its final state from the query. */
export async function finalState(handle: Awaited<ReturnType<typeof startTestRun>>): Promise<RunState> {
  await handle.result().catch(() => undefined);
  return handle.query<RunState>(runProtocol.queries.state);
}
