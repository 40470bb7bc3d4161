import { describe, expect, it } from 'vitest';
import { streamRetryDelay } from '../../../apps/editor/src/api/stream-retry.js';

describe('retrying a broken run stream', () => {
  it('doubles the wait from about a second, never beyond fifteen', () => {
    const most = Array.from({ length: 8 }, (_, attempt) => streamRetryDelay(attempt, () => 1));
    expect(most).toEqual([1_000, 2_000, 4_000, 8_000, 15_000, 15_000, 15_000, 15_000]);
    // Far-out attempts stay capped rather than overflowing to Infinity.
    expect(streamRetryDelay(10_000, () => 1)).toBe(15_000);
  });

  it('spreads reconnects over the upper half of each wait, so open pages do not all return at once', () => {
    expect([0, 1, 2, 3, 4].map((attempt) => streamRetryDelay(attempt, () => 0))).toEqual([500, 1_000, 2_000, 4_000, 7_500]);
    for (let attempt = 0; attempt < 6; attempt++) {
      const delay = streamRetryDelay(attempt);
      expect(delay).toBeGreaterThanOrEqual(streamRetryDelay(attempt, () => 0));
      expect(delay).toBeLessThanOrEqual(streamRetryDelay(attempt, () => 1));
    }
  });
});
