import type { DrillSummary } from '@runwright/runbook';

export interface ChartPoint {
  runId: string;
  x: number;
  y: number;
  seconds: number;
  verdict: DrillSummary['verdict'];
  startedAt: string;
}

export interface RtoChart {
  width: number;
  height: number;
  /** The plot's left and right edges (the axis labels sit left of it). */
  left: number;
  right: number;
  points: ChartPoint[];
  /** The objective as a horizontal line (its y), when the runbook has an RTO. */
  objectiveY?: number;
  /** Gridlines of the y axis: seconds and where they are drawn. */
  ticks: { seconds: number; y: number }[];
  /** Drills that measured nothing (not recovered, or rehearsals): listed, not plotted. */
  unmeasured: number;
}

const padding = { left: 56, right: 16, top: 16, bottom: 12 };

/** 1, 2, 5, 10, 20, 50… : a step that gives about `count` gridlines up to `max`. */
function niceStep(max: number, count: number): number {
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * magnitude).find((step) => step >= raw) ?? 10 * magnitude;
}

/**
 * Where to draw a runbook's recovery times, oldest drill on the left: one point per drill that
 * measured a recovery (rehearsals measure nothing real and are left out), the objective as a
 * line, and y gridlines. Pure: the page only turns this into SVG.
 */
export function rtoChart(drills: readonly DrillSummary[], rtoSeconds: number | undefined, width = 640, height = 240): RtoChart {
  const measured = drills
    .filter((d) => d.recoverySeconds !== null && !d.dryRun)
    .sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0));
  const top = Math.max(1, rtoSeconds ?? 0, ...measured.map((d) => d.recoverySeconds!)) * 1.1;
  const step = niceStep(top, 4);
  const max = Math.ceil(top / step) * step;
  const [left, right] = [padding.left, width - padding.right];
  const plotHeight = height - padding.top - padding.bottom;
  const yOf = (seconds: number) => padding.top + plotHeight * (1 - seconds / max);
  const xOf = (index: number) => left + (measured.length === 1 ? (right - left) / 2 : ((right - left) * index) / (measured.length - 1));
  const ticks: RtoChart['ticks'] = [];
  for (let seconds = 0; seconds <= max + step / 2; seconds += step) ticks.push({ seconds, y: yOf(seconds) });
  return {
    width,
    height,
    left,
    right,
    points: measured.map((d, index) => ({ runId: d.runId, x: xOf(index), y: yOf(d.recoverySeconds!), seconds: d.recoverySeconds!, verdict: d.verdict, startedAt: d.startedAt })),
    ...(rtoSeconds !== undefined && { objectiveY: yOf(rtoSeconds) }),
    ticks,
    unmeasured: drills.length - measured.length,
  };
}

/** `75` → `1m 15s`: recovery times read better in minutes. */
export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  const s = Math.round(seconds * 10) / 10;
  if (s < 60) return `${s}s`;
  const minutes = Math.floor(s / 60);
  const rest = Math.round(s - minutes * 60);
  if (minutes >= 60) return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
  return rest === 0 ? `${minutes}m` : `${minutes}m ${rest}s`;
}
