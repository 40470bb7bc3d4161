import { z } from 'zod';
import { durationSchema } from './duration.js';

const routeNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and -')
  .max(40);

export const labelMatcherOpSchema = z.enum(['=', '!=', '=~', '!~']);

/** Alertmanager's matcher semantics: regular expressions match the whole label value. */
export const labelMatcherSchema = z
  .strictObject({
    label: z.string().min(1).max(200),
    op: labelMatcherOpSchema.default('='),
    value: z.string().max(1_000),
  })
  .superRefine((matcher, context) => {
    if (matcher.op !== '=~' && matcher.op !== '!~') return;
    try {
      new RegExp(`^(?:${matcher.value})$`, 'u');
    } catch (error) {
      context.addIssue({ code: 'custom', path: ['value'], message: `not a regular expression: ${(error as Error).message}` });
    }
  });
export type LabelMatcher = z.infer<typeof labelMatcherSchema>;

/**
 * An alert route: which alerts start this runbook, and how their labels and annotations become
 * parameters (templates over `alert`). Labels are untrusted input: they reach a step only as
 * parameter values, never spliced into a script.
 */
export const alertRouteSchema = z.strictObject({
  /** Names the route in run ids and the audit log; keep it stable (renaming starts new runs). */
  name: routeNameSchema,
  match: z.array(labelMatcherSchema).min(1, 'an alert route needs at least one matcher'),
  params: z.record(z.string(), z.unknown()).default({}),
});
export type AlertRoute = z.infer<typeof alertRouteSchema>;

/** Storm control for alert-started runs of one runbook. */
export const alertLimitsSchema = z.strictObject({
  /** Alert-started runs of this runbook that may run at once; further alerts are suppressed. */
  maxConcurrent: z.number().int().positive().default(10),
  /** New alert-started runs allowed per `window`; beyond it the breaker opens and alerts are suppressed. */
  maxStarts: z.number().int().positive().default(30),
  window: durationSchema.default('1h'),
});
export type AlertLimits = z.infer<typeof alertLimitsSchema>;

/**
 * A signed generic webhook (Standard Webhooks: HMAC-SHA256 over id, timestamp and body) that
 * starts this runbook. Its secret lives in the API's data folder, never in the runbook; the
 * JSON body is visible to `params` templates as `alert` (the event that triggered the run).
 */
export const webhookRouteSchema = z.strictObject({
  name: routeNameSchema,
  params: z.record(z.string(), z.unknown()).default({}),
});
export type WebhookRoute = z.infer<typeof webhookRouteSchema>;

/**
 * A schedule kept in step with a Temporal Schedule. The overlap policy and catch-up window are
 * explicit: Temporal's default catch-up of a year would fire a missed drill whenever the
 * service came back. `paused` applies when the schedule is first created; afterwards pausing is
 * an operational switch (API, Temporal UI) that editing the file does not undo.
 */
export const scheduleSchema = z.strictObject({
  name: routeNameSchema,
  /** Cron expression (5 fields, or Temporal's extensions such as @daily), evaluated in `timezone`. */
  cron: z.string().min(1).max(200),
  timezone: z.string().max(100).default('UTC'),
  params: z.record(z.string(), z.unknown()).default({}),
  overlap: z.enum(['skip', 'bufferOne', 'bufferAll', 'cancelOther', 'terminateOther', 'allowAll']).default('skip'),
  catchupWindow: durationSchema.default('10m'),
  paused: z.boolean().default(false),
});
export type RunbookSchedule = z.infer<typeof scheduleSchema>;

export const triggersSchema = z.strictObject({
  schedules: z.array(scheduleSchema).default([]),
  alerts: z.array(alertRouteSchema).default([]),
  webhooks: z.array(webhookRouteSchema).default([]),
  alertLimits: alertLimitsSchema.default({ maxConcurrent: 10, maxStarts: 30, window: '1h' }),
});
export type Triggers = z.infer<typeof triggersSchema>;

/** Whether an alert's labels satisfy every matcher of a route (a missing label is the empty string, as in Alertmanager). */
export function matchesLabels(matchers: readonly LabelMatcher[], labels: Readonly<Record<string, string>>): boolean {
  return matchers.every(({ label, op, value }) => {
    const actual = labels[label] ?? '';
    switch (op) {
      case '=':
        return actual === value;
      case '!=':
        return actual !== value;
      case '=~':
        return new RegExp(`^(?:${value})$`, 'u').test(actual);
      case '!~':
        return !new RegExp(`^(?:${value})$`, 'u').test(actual);
    }
  });
}
