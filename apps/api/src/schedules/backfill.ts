import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { msToTs, tsToDate } from '@temporalio/common/lib/time.js';
import type { Problem } from '@runwright/runbook';

const dayMs = 24 * 60 * 60 * 1000;

/**
 * What is wrong with a backfill window: it must be non-empty, bounded (a slip of the year
 * field would start thousands of runs) and in the past (the future is the schedule's job).
 */
export function backfillProblems(start: Date, end: Date, now: Date, maxDays: number): Problem[] {
  if (end.getTime() <= start.getTime()) return [{ path: 'body.end', message: `end (${end.toISOString()}) must be after start (${start.toISOString()})` }];
  if (end.getTime() > now.getTime()) return [{ path: 'body.end', message: `end (${end.toISOString()}) is in the future; backfill only covers times that have passed` }];
  if (end.getTime() - start.getTime() > maxDays * dayMs) return [{ path: 'body.start', message: `the window covers more than ${maxDays} days; backfill it in parts` }];
  return [];
}

/** The times the schedule's spec matches in the window, as Temporal computes them. */
export async function matchingTimes(client: Client, scheduleId: string, start: Date, end: Date): Promise<Date[]> {
  const response = (await client.workflowService.listScheduleMatchingTimes({
    namespace: client.options.namespace,
    scheduleId,
    startTime: msToTs(start.getTime()),
    endTime: msToTs(end.getTime()),
  })) as temporal.api.workflowservice.v1.IListScheduleMatchingTimesResponse;
  return (response.startTime ?? []).map((t) => tsToDate(t));
}
