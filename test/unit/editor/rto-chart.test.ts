import { describe, expect, it } from 'vitest';
import type { DrillSummary } from '@runwright/runbook';
import { formatSeconds, rtoChart } from '../../../apps/editor/src/reports/rto-chart.js';

const drill = (runId: string, day: number, recoverySeconds: number | null, extra: Partial<DrillSummary> = {}): DrillSummary => ({
  runId,
  startedAt: `2026-11-${String(day).padStart(2, '0')}T03:00:00.000Z`,
  status: 'succeeded',
  dryRun: false,
  trigger: { type: 'schedule', name: 'weekly' },
  recoverySeconds,
  dataLossSeconds: 0,
  verdict: recoverySeconds === null ? 'incomplete' : recoverySeconds <= 300 ? 'passed' : 'failed',
  ...extra,
});

describe('RTO trend chart geometry', () => {
  // Newest first, as the API lists them.
  const drills = [drill('d4', 24, 240), drill('d3', 17, null), drill('d2', 10, 420), drill('d1', 3, 180), drill('rehearsal', 20, 1, { dryRun: true })];

  it('plots measured drills oldest first, left to right, higher for slower recoveries', () => {
    const chart = rtoChart(drills, 300);
    expect(chart.points.map((p) => p.runId)).toEqual(['d1', 'd2', 'd4']);
    const [d1, d2, d4] = chart.points;
    expect(d1!.x).toBe(chart.left);
    expect(d4!.x).toBe(chart.right);
    expect(d1!.x < d2!.x && d2!.x < d4!.x).toBe(true);
    // SVG y grows downwards: slower is higher up, i.e. a smaller y.
    expect(d2!.y).toBeLessThan(d4!.y);
    expect(d4!.y).toBeLessThan(d1!.y);
    expect(chart.unmeasured).toBe(2);
  });

  it('draws the objective line between the recoveries that met it and those that did not', () => {
    const chart = rtoChart(drills, 300);
    const [d1, d2] = chart.points;
    expect(chart.objectiveY!).toBeGreaterThan(d2!.y);
    expect(chart.objectiveY!).toBeLessThan(d1!.y);
    // Gridlines start at zero (the bottom) and reach above the slowest drill.
    expect(chart.ticks[0]).toEqual({ seconds: 0, y: expect.any(Number) });
    expect(chart.ticks.at(-1)!.seconds).toBeGreaterThanOrEqual(420);
    expect(chart.ticks.every((t, i) => i === 0 || t.y < chart.ticks[i - 1]!.y)).toBe(true);
  });

  it('keeps the objective on the chart when every drill was far faster, and centres a single drill', () => {
    const chart = rtoChart([drill('only', 1, 5)], 600);
    expect(chart.points[0]!.x).toBe((chart.left + chart.right) / 2);
    expect(chart.objectiveY!).toBeGreaterThanOrEqual(0);
    // On the chart and above the one drill, which recovered far within it.
    expect(chart.objectiveY!).toBeLessThan(chart.points[0]!.y);
    expect(chart.ticks.at(-1)!.seconds).toBeGreaterThanOrEqual(600);
    expect(rtoChart([], undefined).objectiveY).toBeUndefined();
  });

  it('writes durations as an operator reads them', () => {
    expect([formatSeconds(null), formatSeconds(42), formatSeconds(1.25), formatSeconds(75), formatSeconds(60), formatSeconds(3725)]).toEqual(['—', '42s', '1.3s', '1m 15s', '1m', '1h 2m']);
  });
});
