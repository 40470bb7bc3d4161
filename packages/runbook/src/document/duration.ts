import { z } from 'zod';

const units = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const pattern = /^(\d+)(ms|s|m|h|d)$/;

/** A duration written the way operators write them: `500ms`, `30s`, `10m`, `2h`, `1d`. */
export const durationSchema = z.string().regex(pattern, 'a duration such as 500ms, 30s, 10m, 2h or 1d');

export function durationToMs(duration: string): number {
  const match = pattern.exec(duration);
  if (!match) throw new Error(`not a duration: ${JSON.stringify(duration)}`);
  return Number(match[1]) * units[match[2] as keyof typeof units];
}
