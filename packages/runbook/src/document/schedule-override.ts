import { z } from 'zod';
import { pathToString, type Problem } from '../graph/problems.js';
import { scheduleIdFromRef } from '../contract/schedule-ids.js';
import { durationSchema, durationToMs } from './duration.js';
import { parametersSchemaFor, type Parameter } from './parameters.js';
import type { RunbookSchedule } from './triggers.js';

/** Temporal resolves zones from the IANA database, as `Intl` does; a typo is refused before it reaches the schedule. */
function knownTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const overrideFields = {
  /** Replaces the runbook's cron. Temporal's forms: 5 fields, 6 (with a year) or 7 (seconds first: `*\/20 * * * * * *`). */
  cron: z.string().min(1).max(200).optional(),
  /** Replaces the runbook's cron with a fixed interval (`30s`, `6h`), counted from the Unix epoch. */
  every: durationSchema.refine((d) => !durationSchema.safeParse(d).success || durationToMs(d) >= 1_000, 'at least 1s').optional(),
  timezone: z.string().min(1).max(100).refine(knownTimeZone, 'not a time zone name (e.g. UTC, Europe/Berlin)').optional(),
  /** Merged over the runbook schedule's own parameters, key by key, and validated like a run's. */
  params: z.record(z.string(), z.unknown()).optional(),
  /** Pauses (or unpauses) the schedule when the override is applied; operators may still pause and unpause after. */
  paused: z.boolean().optional(),
  /** Why, shown with the schedule and recorded on the runs it starts ("staging lab drills"). */
  reason: z.string().max(500).optional(),
};

export const overrideFieldNames = ['cron', 'every', 'timezone', 'params', 'paused'] as const;
export type OverrideField = (typeof overrideFieldNames)[number];

/**
 * What an installation changes about one of a runbook's schedules without editing the runbook:
 * when it fires (cron or interval, time zone), the parameters its runs get, whether it is paused.
 */
export const scheduleOverrideSchema = z.strictObject(overrideFields).superRefine((override, context) => {
  if (override.cron !== undefined && override.every !== undefined) context.addIssue({ code: 'custom', path: ['every'], message: 'give cron or every, not both' });
  if (overrideFieldNames.every((field) => override[field] === undefined)) {
    context.addIssue({ code: 'custom', path: [], message: `an override changes at least one of ${overrideFieldNames.join(', ')}` });
  }
});
export type ScheduleOverride = z.infer<typeof scheduleOverrideSchema>;

export const overrideSourceSchema = z.enum(['settings', 'api']);

/**
 * An override as it is applied: from the installation's settings file or set through the API,
 * by whom and when. An API override takes the place of the settings file's for that schedule.
 */
export const appliedScheduleOverrideSchema = z.object({
  ...overrideFields,
  source: overrideSourceSchema,
  /** The admin who set it, or `settings:<file>`. */
  by: z.string(),
  at: z.string(),
  /** Set on an API override that hides one from the settings file (clearing it brings that one back). */
  replacesSettings: z.boolean().optional(),
});
export type AppliedScheduleOverride = z.infer<typeof appliedScheduleOverrideSchema>;

/** What a run started by an overridden schedule records in its trigger: enough for a report to say so. */
export interface ScheduleOverrideNote {
  source: 'settings' | 'api';
  by: string;
  at: string;
  /** The schedule's parts the override replaced. */
  fields: OverrideField[];
  reason?: string;
}

export function overrideNote(override: AppliedScheduleOverride): ScheduleOverrideNote {
  return {
    source: override.source,
    by: override.by,
    at: override.at,
    fields: overrideFieldNames.filter((field) => override[field] !== undefined),
    ...(override.reason && { reason: override.reason }),
  };
}

/** "overridden (every, params) through the API by alice at …: staging lab" — for reports and lists. */
export function describeOverrideNote(note: ScheduleOverrideNote): string {
  const where = note.source === 'api' ? `through the API by ${note.by}` : `by the settings file (${note.by.replace(/^settings:/, '')})`;
  return `overridden (${note.fields.join(', ')}) ${where} at ${note.at}${note.reason ? `: ${note.reason}` : ''}`;
}

/** When a schedule fires and what its runs get, once any override is applied. */
export interface EffectiveSchedule {
  /** Exactly one of `cron` and `every`. */
  cron?: string;
  every?: string;
  timezone: string;
  /** Validated, with the runbook's defaults filled in. */
  params: Record<string, unknown>;
  /** The pause state the schedule is created with (or set to when the override changes). */
  paused: boolean;
}

/**
 * The schedule with `override` applied over it. The merged parameters are checked against the
 * runbook's parameters; a problem's path says whose value is wrong (`override.params.x` or the
 * schedule's own `params.x`), so a bad override is refused naming the key it got wrong.
 */
export function effectiveSchedule(
  schedule: RunbookSchedule,
  parameters: Record<string, Parameter>,
  override?: ScheduleOverride | AppliedScheduleOverride,
): { ok: true; schedule: EffectiveSchedule } | { ok: false; problems: Problem[] } {
  const merged = { ...schedule.params, ...override?.params };
  const whose = (key: PropertyKey) => (override?.params && Object.hasOwn(override.params, key) ? 'override.params' : 'params');
  const parsed = parametersSchemaFor(parameters).safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((issue): Problem[] =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({ path: `${whose(key)}.${key}`, message: `the runbook has no parameter "${key}"` }))
        : [{ path: pathToString([whose(issue.path[0] ?? ''), ...issue.path]), message: issue.message }],
    );
    return { ok: false, problems };
  }
  const when = override?.cron !== undefined ? { cron: override.cron } : override?.every !== undefined ? { every: override.every } : { cron: schedule.cron };
  return {
    ok: true,
    schedule: { ...when, timezone: override?.timezone ?? schedule.timezone, params: parsed.data, paused: override?.paused ?? schedule.paused },
  };
}

/**
 * The installation's overrides file (`RUNWRIGHT_SCHEDULE_OVERRIDES`), as parsed YAML or JSON: a
 * map from a schedule reference (`dr-drill/weekly` or its id) to its override. Answers the
 * overrides by schedule id, or the problems with their paths.
 */
export function parseScheduleOverrides(document: unknown): { ok: true; overrides: Map<string, ScheduleOverride> } | { ok: false; problems: Problem[] } {
  if (document === null || document === undefined) return { ok: true, overrides: new Map() };
  const parsed = z.record(z.string(), scheduleOverrideSchema).safeParse(document);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((issue) => ({ path: pathToString(issue.path), message: issue.message })) };
  const overrides = new Map<string, ScheduleOverride>();
  const problems: Problem[] = [];
  for (const [ref, override] of Object.entries(parsed.data)) {
    const scheduleId = scheduleIdFromRef(ref);
    if (!scheduleId) problems.push({ path: ref, message: 'name a schedule as <runbook id>/<schedule name> (or runwright:<runbook id>:<schedule name>)' });
    else if (overrides.has(scheduleId)) problems.push({ path: ref, message: `${scheduleId} is overridden twice in this file` });
    else overrides.set(scheduleId, override);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, overrides };
}
