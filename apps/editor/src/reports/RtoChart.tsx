import type { DrillSummary } from '@runwright/runbook';
import { formatSeconds, rtoChart } from './rto-chart';

/** The RTO trend: each drill's measured recovery time, oldest first, against the objective line. */
export function RtoChart({ drills, rtoSeconds }: { drills: DrillSummary[]; rtoSeconds?: number }) {
  const chart = rtoChart(drills, rtoSeconds);
  return (
    <figure className="rto-chart">
      <svg viewBox={`0 0 ${chart.width} ${chart.height}`} width={chart.width} height={chart.height} role="img" aria-label="Recovery time per drill against the RTO objective">
        {chart.ticks.map((tick) => (
          <g key={tick.seconds} className="tick">
            <line x1={chart.left} x2={chart.right} y1={tick.y} y2={tick.y} />
            <text x={chart.left - 6} y={tick.y + 4} textAnchor="end">
              {formatSeconds(tick.seconds)}
            </text>
          </g>
        ))}
        {chart.objectiveY !== undefined && (
          <g className="objective">
            <line x1={chart.left} x2={chart.right} y1={chart.objectiveY} y2={chart.objectiveY} />
            <text x={chart.right - 2} y={chart.objectiveY - 4} textAnchor="end">
              RTO {formatSeconds(rtoSeconds)}
            </text>
          </g>
        )}
        {chart.points.length > 1 && <polyline className="trend" points={chart.points.map((p) => `${p.x},${p.y}`).join(' ')} />}
        {chart.points.map((point) => (
          <a key={point.runId} href={`#/runs/${encodeURIComponent(point.runId)}/report`}>
            <circle className={`point verdict-${point.verdict}`} cx={point.x} cy={point.y} r={5} data-run-id={point.runId} data-seconds={point.seconds}>
              <title>
                {new Date(point.startedAt).toLocaleString()}: {formatSeconds(point.seconds)} ({point.verdict})
              </title>
            </circle>
          </a>
        ))}
      </svg>
      <figcaption>
        Recovery time per drill, oldest first{chart.unmeasured > 0 && ` · ${chart.unmeasured} drill(s) without a measured recovery are not plotted`}
      </figcaption>
    </figure>
  );
}
