import type { Router } from 'express';
import { isGrpcServiceError, WorkflowNotFoundError } from '@temporalio/client';
import { apiErrors, routes } from '@runwright/runbook';
import { assertMayOperate } from '../auth/owners.js';
import { ApiError } from '../http/api-error.js';
import { bindRoute } from '../http/bind-route.js';
import { runEvents } from '../temporal/run-events.js';
import { listRuns } from '../temporal/run-visibility.js';
import { searchKeys } from '../temporal/search-keys.js';
import type { AppContext } from '../app-context.js';

async function notFoundAsApiError<T>(runId: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    // History is fetched by a raw service call, which reports gRPC NOT_FOUND (5) instead.
    if (error instanceof WorkflowNotFoundError || (isGrpcServiceError(error) && error.code === 5)) throw ApiError.notFound(`no run "${runId}"`);
    throw error;
  }
}

export function runControlRoutes(router: Router, { temporal, runbooks }: AppContext): void {
  bindRoute(router, routes.listRuns, async ({ query }) => ({
    status: 200 as const,
    body: { runs: await listRuns(temporal.client, query, query.limit) },
  }));

  bindRoute(router, routes.cancelRun, async ({ params, identity }) => {
    const handle = temporal.client.workflow.getHandle(params.runId);
    const description = await notFoundAsApiError(params.runId, () => handle.describe());
    // Owners of the runbook as it is now decide who may stop its runs.
    const runbookId = description.typedSearchAttributes.get(searchKeys.runbookId);
    if (runbookId) {
      const stored = await runbooks.get(runbookId).catch(() => undefined);
      if (stored?.result.ok) assertMayOperate(identity, stored.result.runbook);
    }
    if (description.status.name !== 'RUNNING') {
      throw new ApiError(409, apiErrors.conflict, `run "${params.runId}" is ${description.status.name.toLowerCase()}, not running`);
    }
    await handle.cancel();
    return { status: 202 as const, body: { runId: params.runId, status: 'cancel-requested' as const } };
  });

  bindRoute(router, routes.listRunEvents, async ({ params }) => {
    const history = await notFoundAsApiError(params.runId, () => temporal.client.workflow.getHandle(params.runId).fetchHistory());
    return { status: 200 as const, body: { runId: params.runId, events: runEvents(history.events ?? []) } };
  });
}
