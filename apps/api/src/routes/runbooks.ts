import type { Router } from 'express';
import { previewPlan, routes, type RunSummary } from '@runwright/runbook';
import { ApiError } from '../http/api-error.js';
import { bindRoute } from '../http/bind-route.js';
import { summarise } from '../runbooks/runbook-store.js';
import { listRuns } from '../temporal/run-visibility.js';
import type { AppContext } from '../app-context.js';

/** How far back the list looks for each runbook's last run: one visibility query, not one per runbook. */
const recentRunsScanned = 500;

export function runbookRoutes(router: Router, { runbooks, temporal, log }: AppContext): void {
  bindRoute(router, routes.listRunbooks, async () => {
    const summaries = (await runbooks.list()).map(summarise);
    try {
      const last = new Map<string, RunSummary>();
      for (const run of await listRuns(temporal.client, {}, recentRunsScanned)) {
        if (run.runbookId && !last.has(run.runbookId)) last.set(run.runbookId, run);
      }
      for (const summary of summaries) {
        const run = last.get(summary.id);
        if (run) summary.lastRun = { runId: run.runId, status: run.status, startTime: run.startTime, ...(run.trigger && { trigger: run.trigger }) };
      }
    } catch (error) {
      // The list of files is still worth answering with while Temporal is away.
      log.warn({ err: error }, 'could not read last runs from visibility');
    }
    return { status: 200 as const, body: { runbooks: summaries } };
  });

  bindRoute(router, routes.getRunbook, async ({ params }) => {
    // A file with problems is still answered, so the editor can open it and fix them.
    const { source, result } = await runbooks.get(params.runbookId);
    return {
      status: 200 as const,
      body: result.ok ? { runbook: result.runbook, planHash: result.planHash, source, problems: [] } : { runbook: null, planHash: '', source, problems: result.problems },
    };
  });

  bindRoute(router, routes.previewRunbookPlan, async ({ params, body, identity }) => {
    const { runbook } = await runbooks.getValid(params.runbookId);
    const preview = await previewPlan(runbook, body.params, { startedBy: identity.user, ...(body.alert !== undefined && { alert: body.alert }) });
    if (!preview.ok) {
      throw ApiError.validation('parameters', preview.problems.map((p) => ({ ...p, path: `body.${p.path}` })));
    }
    return { status: 200 as const, body: preview };
  });
}
