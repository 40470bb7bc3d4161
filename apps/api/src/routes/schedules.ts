import type { Router } from 'express';
import { maxBackfillDays, parseScheduleId, routes, type ScheduleView } from '@runwright/runbook';
import { assertMayOperate } from '../auth/owners.js';
import type { Identity } from '../auth/token-store.js';
import { ApiError } from '../http/api-error.js';
import { bindRoute } from '../http/bind-route.js';
import { backfillProblems, matchingTimes } from '../schedules/backfill.js';
import { syncSchedules } from '../schedules/schedule-sync.js';
import { describeOrNotFound, scheduleView as view } from '../schedules/schedule-view.js';
import type { AppContext } from '../app-context.js';

export function scheduleRoutes(router: Router, context: AppContext): void {
  const { temporal, runbooks } = context;
  const mayOperate = async (identity: Identity, scheduleId: string) => {
    const stored = await runbooks.get(parseScheduleId(scheduleId)!.runbookId).catch(() => undefined);
    if (stored?.result.ok) assertMayOperate(identity, stored.result.runbook);
  };

  bindRoute(router, routes.listSchedules, async () => {
    const schedules: ScheduleView[] = [];
    for await (const summary of temporal.client.schedule.list()) {
      if (!parseScheduleId(summary.scheduleId)) continue;
      schedules.push(view(await temporal.client.schedule.getHandle(summary.scheduleId).describe()));
    }
    schedules.sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
    return { status: 200 as const, body: { schedules } };
  });

  bindRoute(router, routes.syncSchedules, async () => ({
    status: 200 as const,
    body: await syncSchedules(context),
  }));

  bindRoute(router, routes.pauseSchedule, async ({ params, body, identity }) => {
    const { handle } = await describeOrNotFound(temporal.client, params.scheduleId);
    await mayOperate(identity, params.scheduleId);
    const note = `${body.paused ? 'paused' : 'unpaused'} by ${identity.user}${body.note ? `: ${body.note}` : ''}`;
    if (body.paused) await handle.pause(note);
    else await handle.unpause(note);
    return { status: 200 as const, body: view(await handle.describe()) };
  });

  bindRoute(router, routes.triggerSchedule, async ({ params, identity }) => {
    const { handle } = await describeOrNotFound(temporal.client, params.scheduleId);
    await mayOperate(identity, params.scheduleId);
    await handle.trigger();
    return { status: 202 as const, body: { scheduleId: params.scheduleId, triggered: true as const } };
  });

  bindRoute(router, routes.backfillSchedule, async ({ params, body, identity }) => {
    const start = new Date(body.start);
    const end = new Date(body.end);
    const problems = backfillProblems(start, end, new Date(), maxBackfillDays);
    if (problems.length > 0) throw ApiError.validation('body', problems);
    const { handle, description } = await describeOrNotFound(temporal.client, params.scheduleId);
    await mayOperate(identity, params.scheduleId);
    const overlap = body.overlap ?? description.policies.overlap ?? 'SKIP';
    const times = await matchingTimes(temporal.client, params.scheduleId, start, end);
    await handle.backfill({ start, end, overlap });
    return {
      status: 202 as const,
      body: { scheduleId: params.scheduleId, start: start.toISOString(), end: end.toISOString(), overlap, scheduledTimes: times.length },
    };
  });
}
