import type { Router } from 'express';
import { drillReportHtml, drillReportMarkdown, notADrillError, routes } from '@runwright/runbook';
import { ApiError } from '../http/api-error.js';
import { bindRoute } from '../http/bind-route.js';
import { DrillReports } from '../reports/drill-reports.js';
import type { AppContext } from '../app-context.js';

/** Drill reports: readable by every role, like the runs they describe. */
export function reportRoutes(router: Router, { temporal, runbooks, reportCache }: AppContext): void {
  const reports = new DrillReports(temporal.client, reportCache);

  bindRoute(router, routes.getDrillReport, async ({ params }) => ({ status: 200 as const, body: await reports.report(params.runId) }));

  bindRoute(router, routes.getDrillReportMarkdown, async ({ params }) => ({
    status: 200 as const,
    body: drillReportMarkdown(await reports.report(params.runId)),
  }));

  bindRoute(router, routes.getDrillReportHtml, async ({ params }) => ({
    status: 200 as const,
    body: drillReportHtml(await reports.report(params.runId)),
  }));

  bindRoute(router, routes.listDrills, async ({ params }) => {
    const { runbook } = await runbooks.getValid(params.runbookId);
    if (!runbook.objectives) throw new ApiError(409, notADrillError, `runbook "${runbook.id}" has no objectives, so its runs are not drills`);
    return { status: 200 as const, body: { runbookId: runbook.id, objectives: runbook.objectives, drills: await reports.drills(runbook.id) } };
  });
}
