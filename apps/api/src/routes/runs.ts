import { randomUUID } from 'node:crypto';
import type { Router } from 'express';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import {
  manualRunWorkflowId,
  parametersSchemaFor,
  pathToString,
  routes,
  runProtocol,
  type RunInput,
  type RunState,
  type RunView,
  type Settings,
} from '@runwright/runbook';
import { assertMayOperate } from '../auth/owners.js';
import { ApiError } from '../http/api-error.js';
import { bindRoute } from '../http/bind-route.js';
import type { Metrics } from '../metrics.js';
import { resolveSubRunbooks } from '../runbooks/sub-runbooks.js';
import { startRunWorkflow } from '../temporal/start-run.js';
import type { AppContext } from '../app-context.js';

/** Reads a run's live state through the interpreter's query; 404 when there is no such run. */
export async function readRun(client: Client, runId: string) {
  const handle = client.workflow.getHandle(runId);
  try {
    const description = await handle.describe();
    const state = await handle.query<RunState>(runProtocol.queries.state);
    return { handle, description, state };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw ApiError.notFound(`no run "${runId}"`);
    throw error;
  }
}

export function runRoutes(router: Router, { runbooks, temporal, settings }: AppContext, metrics: Metrics): void {
  bindRoute(router, routes.startRun, async ({ params, body, identity }) => {
    const { runbook, planHash } = await runbooks.getValid(params.runbookId);
    assertMayOperate(identity, runbook);
    const parsed = parametersSchemaFor(runbook.parameters).safeParse(body.params);
    if (!parsed.success) {
      throw ApiError.validation(
        'parameters',
        parsed.error.issues.map((issue) => ({ path: pathToString(['body', 'params', ...issue.path]), message: issue.message })),
      );
    }
    const subRunbooks = await resolveSubRunbooks(runbooks, runbook);
    const input: RunInput = {
      runbook,
      planHash,
      ...(subRunbooks && { subRunbooks }),
      params: parsed.data,
      trigger: { type: 'manual', by: identity.user },
      ...(body.dryRun && { dryRun: true }),
    };
    const runId = manualRunWorkflowId(runbook.id, randomUUID());
    await startRunWorkflow(temporal.client, settings, runId, input);
    metrics.runsStarted.inc({ runbook: runbook.id, trigger: 'manual' });
    return { status: 201 as const, body: { runId, planHash } };
  });

  bindRoute(router, routes.getRun, async ({ params }) => ({ status: 200 as const, body: await readRunView(temporal.client, settings, params.runId) }));
}

/** The body of `GET /api/runs/:runId` (and of the run stream's `state` events). */
export async function readRunView(client: Client, settings: Settings, runId: string): Promise<RunView> {
  const { description, state } = await readRun(client, runId);
  const ui = settings.RUNWRIGHT_TEMPORAL_UI_URL;
  return {
    runId,
    temporalStatus: description.status.name,
    ...(ui && {
      temporalUiUrl: `${ui.replace(/\/$/, '')}/namespaces/${encodeURIComponent(settings.TEMPORAL_NAMESPACE)}/workflows/${encodeURIComponent(runId)}`,
    }),
    state,
  };
}
