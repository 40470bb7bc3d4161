import type { TestWorkflowEnvironment } from '@temporalio/testing';

/**
 * Terminates every run still open on `taskQueue`. The dev server outlives a test file, so a run
 * left waiting (at a checkpoint, or on a queue nothing polls) would linger for the next files.
 */
export async function terminateRunning(env: TestWorkflowEnvironment, taskQueue: string): Promise<void> {
  for await (const run of env.client.workflow.list({ query: `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'` })) {
    await env.client.workflow.getHandle(run.workflowId).terminate('test cleanup');
  }
}
