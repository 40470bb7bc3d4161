/** The first retry of a broken run stream comes after about this long… */
const firstDelayMs = 1_000;
/** …and no retry waits longer than this, so a page left open finds a recovered API soon. */
const maxDelayMs = 15_000;

/**
 * How long to wait before the `attempt`th retry (0-based) of a broken run stream: doubling,
 * capped, with half of it random so many open pages do not all reconnect at the same instant
 * after an API restart. `random` is injectable so the schedule can be tested.
 */
export function streamRetryDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxDelayMs, firstDelayMs * 2 ** Math.max(0, Math.min(attempt, 30)));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
