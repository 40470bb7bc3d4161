import type { DrillReport, ObjectiveResult } from './drill-report-schema.js';
import { drillTriggerText } from './drill-report.js';
import { answerText, escapeHtml as h, secondsText as seconds } from './escape.js';

const met = (result: ObjectiveResult) => (result.met === null ? 'not measured' : result.met ? 'met' : 'missed');

// Inline and static: the page must open from a saved file or a mail attachment, with no scripts.
const style = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:64rem;padding:0 1rem;color:#1d2330}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}th,td{border:1px solid #d5d9e0;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f5f8}.verdict{display:inline-block;padding:.2rem .7rem;border-radius:.3rem;font-weight:700;color:#fff}
.passed{background:#1f7a3d}.failed{background:#b3261e}.incomplete{background:#8a6d00}.missed{color:#b3261e;font-weight:700}
.decision td{background:#f8f9fb}`;

/** The report as one self-contained HTML page. Every value from the run is escaped. */
export function drillReportHtml(report: DrillReport): string {
  const rows = report.timeline.map((entry) => {
    if (entry.type === 'step') {
      const details = [entry.outcome, entry.error].filter((x) => x !== undefined).join('; ');
      return `<tr><td>${h(entry.startedAt ?? '')}</td><td>${h(entry.title)} <small>(${h(entry.nodeId)})</small></td><td>${h(entry.status)}</td><td>${entry.attempts}</td><td>${entry.durationSeconds === undefined ? '' : `${entry.durationSeconds} s`}</td><td>${h(details)}</td></tr>`;
    }
    const answers = entry.checklist.map((a) => `<li>${h(a.label)}: <strong>${h(answerText(a.answer))}</strong></li>`).join('');
    return `<tr class="decision"><td>${h(entry.at)}</td><td>${h(entry.title)} <small>(${h(entry.nodeId)})</small></td><td>${h(entry.decision)} by ${h(entry.by)}</td><td></td><td></td><td>${entry.comment ? `<q>${h(entry.comment)}</q>` : ''}${answers ? `<ul>${answers}</ul>` : ''}</td></tr>`;
  });
  const trigger = h(drillTriggerText(report.trigger));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Drill report: ${h(report.runbookTitle)}</title><style>${style}</style></head>
<body>
<h1>Drill report: ${h(report.runbookTitle)}</h1>
<p><span class="verdict ${h(report.verdict)}">${h(report.verdict.toUpperCase())}</span></p>
<dl>
<dt>Run</dt><dd>${h(report.runId)} (${h(report.status)})</dd>
<dt>Runbook</dt><dd>${h(report.runbookId)}, plan <code>${h(report.planHash)}</code></dd>
<dt>Trigger</dt><dd>${trigger}</dd>
<dt>Started</dt><dd>${h(report.startedAt)}${report.finishedAt ? `, finished ${h(report.finishedAt)}` : ''}</dd>
<dt>Recovery</dt><dd>from ${h(report.measured.recoveryStartedAt ?? 'the run start')} until ${h(report.objectives.recoveredAt)} succeeded${report.measured.recoveredAt ? ` at ${h(report.measured.recoveredAt)}` : ''}</dd>
</dl>
<h2>Objectives</h2>
<table><thead><tr><th>Objective</th><th>Target</th><th>Measured</th><th>Result</th></tr></thead><tbody>
${report.results.map((r) => `<tr><td>${r.objective.toUpperCase()}</td><td>${r.targetSeconds} s</td><td>${seconds(r.measuredSeconds)}</td><td class="${met(r) === 'missed' ? 'missed' : ''}">${met(r)}</td></tr>`).join('\n')}
</tbody></table>
<h2>Deviations</h2>
${report.deviations.length === 0 ? '<p>None.</p>' : `<ul>${report.deviations.map((d) => `<li><strong>${h(d.type)}</strong>: ${h(d.message)}</li>`).join('\n')}</ul>`}
<h2>Timeline</h2>
<table><thead><tr><th>Time</th><th>Step</th><th>Status</th><th>Attempts</th><th>Duration</th><th>Details</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>
</body></html>
`;
}
