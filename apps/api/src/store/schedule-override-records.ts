import type { ScheduleOverride } from '@runwright/runbook';

/** A schedule override set through the API, as kept. */
export interface StoredOverride {
  scheduleId: string;
  override: ScheduleOverride;
  /** The admin who set it. */
  by: string;
  at: string;
}

/**
 * The schedule overrides admins set through the API, kept so a restart (or another replica)
 * applies them too. Temporal keeps the schedules themselves; an override must outlive a
 * schedule Temporal no longer has (its runbook broken, or the namespace reset).
 */
export interface ScheduleOverrideRecords {
  list(): Promise<StoredOverride[]>;
  get(scheduleId: string): Promise<StoredOverride | undefined>;
  /** Creates or replaces the schedule's override. */
  put(record: StoredOverride): Promise<void>;
  /** Answers whether there was one to remove. */
  remove(scheduleId: string): Promise<boolean>;
}
