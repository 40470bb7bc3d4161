import type { ScheduleDescription } from '@temporalio/client';
import type { AppliedScheduleOverride } from '@runwright/runbook';

/**
 * What the sync writes into a Temporal Schedule's memo: what it was made from, as the author and
 * the admin wrote it (Temporal keeps specs compiled), so listings show both without the files.
 */
export interface ScheduleMemo {
  runwrightHash?: string;
  /** The effective cron or interval. */
  cron?: string;
  every?: string;
  /** The runbook file's own schedule. Absent on schedules synced before overrides existed. */
  own?: { cron: string; timezone: string; params: Record<string, unknown>; paused: boolean };
  override?: AppliedScheduleOverride;
}

export function scheduleMemo(description: ScheduleDescription): ScheduleMemo {
  return ((description.action as { memo?: ScheduleMemo }).memo ?? {}) as ScheduleMemo;
}
