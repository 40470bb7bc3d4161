import { randomUUID } from 'node:crypto';
import type { Router } from 'express';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import {
  manualRunWorkflowId,
  parametersSchemaFor,
  pathToString,
  routes,
  runProtocol,
  searchAttributes,
  type RunInput,
  type RunState,
} from '@runwright/runbook';
import { identify } from '../auth/identity.js';
import { ApiError } from '../http/api-error.js';
import { bindRoute } from '../http/bind-route.js';
import type { AppContext } from '../app-context.js';

const runbookIdKey = defineSearchAttributeKey(searchAttributes.runbookId.name, SearchAttributeType.KEYWORD);
const triggerKey = defineSearchAttributeKey(searchAttributes.trigger.name, SearchAttributeType.KEYWORD);
const planHashKey = defineSearchAttributeKey(searchAttributes.planHash.name, SearchAttributeType.KEYWORD);

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

export function runRoutes(router: Router, { runbooks, temporal, settings }: AppContext): void {
  bindRoute(router, routes.startRun, async ({ params, body, request }) => {
    const { runbook, planHash } = await runbooks.getValid(params.runbookId);
    const parsed = parametersSchemaFor(runbook.parameters).safeParse(body.params);
    if (!parsed.success) {
      throw ApiError.validation(
        'parameters',
        parsed.error.issues.map((issue) => ({ path: pathToString(['body', 'params', ...issue.path]), message: issue.message })),
      );
    }
    const identity = identify(request);
    const input: RunInput = { runbook, planHash, params: parsed.data, trigger: { type: 'manual', by: identity.user } };
    const runId = manualRunWorkflowId(runbook.id, randomUUID());
    await temporal.client.workflow.start(runProtocol.workflowType, {
      taskQueue: settings.RUNWRIGHT_TASK_QUEUE,
      workflowId: runId,
      args: [input],
      typedSearchAttributes: [
        { key: runbookIdKey, value: runbook.id },
        { key: triggerKey, value: 'manual' },
        { key: planHashKey, value: planHash },
      ],
    });
    return { status: 201 as const, body: { runId, planHash } };
  });

  bindRoute(router, routes.getRun, async ({ params }) => {
    const { description, state } = await readRun(temporal.client, params.runId);
    const ui = settings.RUNWRIGHT_TEMPORAL_UI_URL;
    return {
      status: 200 as const,
      body: {
        runId: params.runId,
        temporalStatus: description.status.name,
        ...(ui && {
          temporalUiUrl: `${ui.replace(/\/$/, '')}/namespaces/${encodeURIComponent(settings.TEMPORAL_NAMESPACE)}/workflows/${encodeURIComponent(params.runId)}`,
        }),
        state,
      },
    };
  });
}
