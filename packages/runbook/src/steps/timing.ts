import { z } from 'zod';

/**
 * A duration (`30s`, `10m`) or a `{{ expression }}` giving one, so soak windows and timeouts can
 * come from parameters (short in rehearsals and tests, long in production).
 */
export const durationOrTemplateSchema = z
  .string()
  .regex(/^(\d+(ms|s|m|h|d)|\{\{[\s\S]+\}\})$/, 'a duration such as 500ms, 30s, 10m, 2h or 1d, or a {{ expression }} giving one');

/** A count (`5`) or a share of the items (`"20%"`). */
export const countOrPercentSchema = z.union([
  z.number().int().min(0),
  z.string().regex(/^\d{1,3}(\.\d+)?%$/, 'a count or a percentage such as "20%"'),
]);
export type CountOrPercent = z.infer<typeof countOrPercentSchema>;

/** Resolves a count or percentage against a total; percentages round up so they never reach 0 items. */
export function resolveCount(value: CountOrPercent, total: number): number {
  if (typeof value === 'number') return value;
  return Math.ceil((Number(value.slice(0, -1)) / 100) * total);
}
