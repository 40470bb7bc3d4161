import { defaultPayloadConverter } from '@temporalio/common';
import { isGrpcServiceError, type Client } from '@temporalio/client';
import { apiErrors, type RunInput } from '@runwright/runbook';
import { ApiError } from '../http/api-error.js';

/** Start inputs never change, so they are kept; bounded so a long-lived API does not grow without end. */
const cacheSize = 500;
const cache = new Map<string, RunInput>();

function remember(key: string, input: RunInput): RunInput {
  cache.delete(key);
  cache.set(key, input);
  if (cache.size > cacheSize) cache.delete(cache.keys().next().value!);
  return input;
}

function isRunInput(value: unknown): value is RunInput {
  const input = value as Partial<RunInput> | null;
  return (
    input !== null &&
    typeof input === 'object' &&
    typeof input.planHash === 'string' &&
    typeof input.runbook === 'object' &&
    input.runbook !== null &&
    typeof input.runbook.id === 'string'
  );
}

/**
 * The input a run was started with — the runbook definition, plan hash, parameters and
 * trigger — read from the first event of its history (one event fetched, not the whole
 * history). 404 when there is no such run, 409 when the workflow is not a Runwright run.
 */
export async function readRunInput(client: Client, runId: string): Promise<RunInput> {
  const key = `${client.options.namespace}/${runId}`;
  const cached = cache.get(key);
  if (cached) return cached;
  let response;
  try {
    response = await client.workflowService.getWorkflowExecutionHistory({
      namespace: client.options.namespace,
      execution: { workflowId: runId },
      maximumPageSize: 1,
    });
  } catch (error) {
    // A raw service call reports a missing workflow as gRPC NOT_FOUND (5).
    if (isGrpcServiceError(error) && error.code === 5) throw ApiError.notFound(`no run "${runId}"`);
    throw error;
  }
  const payload = response.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  let input: unknown;
  try {
    input = payload ? defaultPayloadConverter.fromPayload<unknown>(payload) : undefined;
  } catch {
    input = undefined;
  }
  if (!isRunInput(input)) {
    throw new ApiError(409, apiErrors.conflict, `workflow "${runId}" was not started with a runbook`, [{ path: 'runId', message: 'not a Runwright run' }]);
  }
  return remember(key, input);
}
