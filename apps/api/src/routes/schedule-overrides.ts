import type { Router } from 'express';
import { effectiveSchedule, parseScheduleId, routes, type Problem } from '@runwright/runbook';
import { ApiError } from '../http/api-error.js';
import { bindRoute } from '../http/bind-route.js';
import { syncSchedules } from '../schedules/schedule-sync.js';
import { describeOrNotFound, scheduleView } from '../schedules/schedule-view.js';
import type { AppContext } from '../app-context.js';

/** A problem found in an override (`override.params.x`) is the request body's (`body.params.x`); any other is the runbook's. */
function bodyProblem(problem: { path?: string | undefined; message: string }): Problem {
  if (problem.path?.startsWith('override')) return { path: `body${problem.path.slice('override'.length)}`, message: problem.message };
  return { path: 'body', message: `the runbook's own schedule: ${problem.message}` };
}

/**
 * Schedule overrides set and cleared at run time by an admin. They are kept by the API (they
 * survive restarts), applied by syncing at once, and audited with what they replaced.
 */
export function scheduleOverrideRoutes(router: Router, context: AppContext): void {
  const { temporal, runbooks, scheduleOverrides } = context;

  bindRoute(router, routes.setScheduleOverride, async ({ params, body, identity, audit }) => {
    const { scheduleId } = params;
    const { runbookId, name } = parseScheduleId(scheduleId)!;
    const { runbook } = await runbooks.getValid(runbookId);
    const schedule = runbook.triggers.schedules.find((s) => s.name === name);
    if (!schedule) throw ApiError.notFound(`runbook "${runbookId}" declares no schedule "${name}" (it has: ${runbook.triggers.schedules.map((s) => s.name).join(', ') || 'none'})`);
    const checked = effectiveSchedule(schedule, runbook.parameters, body);
    if (!checked.ok) throw ApiError.validation('body', checked.problems.map(bodyProblem));

    const before = await scheduleOverrides.records.get(scheduleId);
    audit({ before: before ?? null, after: body });
    await scheduleOverrides.records.put({ scheduleId, override: body, by: identity.user, at: new Date().toISOString() });
    const problems = (await syncSchedules(context)).problems.filter((p) => p.scheduleId === scheduleId);
    if (problems.length > 0) {
      // Temporal refused it (a cron it cannot parse): the schedule runs on as it did, so the override is not kept either.
      if (before) await scheduleOverrides.records.put(before);
      else await scheduleOverrides.records.remove(scheduleId);
      throw ApiError.validation('body', problems.map(bodyProblem));
    }
    const { description } = await describeOrNotFound(temporal.client, scheduleId);
    return { status: 200 as const, body: scheduleView(description) };
  });

  bindRoute(router, routes.clearScheduleOverride, async ({ params, audit }) => {
    const { scheduleId } = params;
    const before = await scheduleOverrides.records.get(scheduleId);
    if (!before) {
      const settings = scheduleOverrides.hasSettingsOverride(scheduleId) ? `; its override comes from the settings file ${scheduleOverrides.installation!.file}, which only an edit of that file (and a restart) changes` : '';
      throw ApiError.notFound(`no override of "${scheduleId}" was set through the API${settings}`);
    }
    audit({ before, after: null });
    await scheduleOverrides.records.remove(scheduleId);
    await syncSchedules(context);
    const now = scheduleOverrides.hasSettingsOverride(scheduleId) ? ('settings' as const) : ('runbook' as const);
    const schedule = await describeOrNotFound(temporal.client, scheduleId).then(
      ({ description }) => scheduleView(description),
      (error: unknown) => {
        if (error instanceof ApiError && error.status === 404) return undefined;
        throw error;
      },
    );
    return { status: 200 as const, body: { scheduleId, now, ...(schedule && { schedule }) } };
  });
}
