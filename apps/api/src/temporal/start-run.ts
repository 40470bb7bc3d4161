import type { Client } from '@temporalio/client';
import { runProtocol, type RunInput, type Settings } from '@runwright/runbook';
import { searchKeys } from './search-keys.js';

/**
 * Starts the interpreter for a run. `REJECT_DUPLICATE` with the default conflict policy (fail)
 * makes a second start of the same id throw `WorkflowExecutionAlreadyStartedError` whether the
 * first run is still going or finished: callers that derive ids from an event treat that as
 * "joined", and know for certain which call started the run.
 */
export async function startRunWorkflow(client: Client, settings: Settings, workflowId: string, input: RunInput): Promise<void> {
  await client.workflow.start(runProtocol.workflowType, {
    taskQueue: settings.RUNWRIGHT_TASK_QUEUE,
    workflowId,
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    args: [input],
    typedSearchAttributes: [
      { key: searchKeys.runbookId, value: input.runbook.id },
      { key: searchKeys.trigger, value: input.trigger.type },
      { key: searchKeys.planHash, value: input.planHash },
      { key: searchKeys.dryRun, value: input.dryRun === true },
    ],
  });
}
