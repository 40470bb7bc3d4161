import { ScheduleNotFoundError, type Client, type ScheduleDescription } from '@temporalio/client';
import { parseScheduleId, type RunInput, type ScheduleView } from '@runwright/runbook';
import { ApiError } from '../http/api-error.js';
import { scheduleMemo } from './schedule-memo.js';

/** A schedule as the API lists it: Temporal's state, with what it was made from (the runbook's own, the override). */
export function scheduleView(description: ScheduleDescription): ScheduleView {
  const { runbookId, name } = parseScheduleId(description.scheduleId)!;
  const spec = description.spec as { timezone?: string };
  const memo = scheduleMemo(description);
  const input = (description.action as { args?: unknown[] }).args?.[0] as Partial<RunInput> | undefined;
  return {
    scheduleId: description.scheduleId,
    runbookId,
    name,
    cron: typeof memo.cron === 'string' ? [memo.cron] : [],
    ...(typeof memo.every === 'string' && { every: memo.every }),
    ...(spec.timezone && { timezone: spec.timezone }),
    ...(input?.params && { params: input.params }),
    ...(memo.own && { own: memo.own }),
    ...(memo.override && { override: memo.override }),
    paused: description.state.paused,
    ...(description.state.note && { note: description.state.note }),
    overlap: description.policies.overlap ?? 'SKIP',
    catchupWindowSeconds: Math.round(description.policies.catchupWindow / 1000),
    nextRunsAt: description.info.nextActionTimes.slice(0, 5).map((d) => d.toISOString()),
    recentRuns: description.info.recentActions.map((a) => ({
      runId: (a.action as { workflow?: { workflowId: string } }).workflow?.workflowId ?? '',
      scheduledAt: a.scheduledAt.toISOString(),
    })),
  };
}

export async function describeOrNotFound(client: Client, scheduleId: string) {
  const handle = client.schedule.getHandle(scheduleId);
  try {
    return { handle, description: await handle.describe() };
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) throw ApiError.notFound(`no schedule "${scheduleId}"`);
    throw error;
  }
}
