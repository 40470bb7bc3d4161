import type { Router } from 'express';
import { routes } from '@runwright/runbook';
import { bindRoute } from '../http/bind-route.js';
import { readRunInput } from '../temporal/run-input.js';
import type { AppContext } from '../app-context.js';

export function runRunbookRoutes(router: Router, { temporal }: AppContext): void {
  // The run's own start input, not the file: a run is pinned to the version it started with.
  bindRoute(router, routes.getRunRunbook, async ({ params }) => {
    const { runbook, planHash } = await readRunInput(temporal.client, params.runId);
    return { status: 200 as const, body: { runId: params.runId, runbook, planHash } };
  });
}
