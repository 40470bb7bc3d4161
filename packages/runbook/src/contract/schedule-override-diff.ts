import type { ScheduleView } from './schedule-routes.js';

/** One part of a schedule an override changes: the runbook's own value and the override's, as text. */
export interface OverrideDifference {
  /** `when`, `time zone`, `paused` or `params.<name>`. */
  part: string;
  runbook: string;
  override: string;
}

const shown = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/**
 * What an overridden schedule runs differently from its runbook file, part by part: the schedules
 * page shows it under its "overridden" badge and the CLI after setting one. Empty when not overridden.
 */
export function overrideDifferences(schedule: Pick<ScheduleView, 'override' | 'own'>): OverrideDifference[] {
  const { override, own } = schedule;
  if (!override) return [];
  const differences: OverrideDifference[] = [];
  const unknown = '(not recorded)';
  if (override.cron !== undefined || override.every !== undefined) {
    differences.push({ part: 'when', runbook: own?.cron ?? unknown, override: override.cron ?? `every ${override.every}` });
  }
  if (override.timezone !== undefined) differences.push({ part: 'time zone', runbook: own?.timezone ?? unknown, override: override.timezone });
  for (const [name, value] of Object.entries(override.params ?? {})) {
    const runbook = !own ? unknown : Object.hasOwn(own.params, name) ? shown(own.params[name]) : '(not set)';
    differences.push({ part: `params.${name}`, runbook, override: shown(value) });
  }
  if (override.paused !== undefined) differences.push({ part: 'paused', runbook: own ? String(own.paused) : unknown, override: String(override.paused) });
  return differences;
}
