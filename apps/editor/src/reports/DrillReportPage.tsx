import { useEffect, useState } from 'react';
import type { DrillReport } from '@runwright/runbook';
import { api, ApiCallError } from '../api/client';
import { formatSeconds } from './rto-chart';

/** Opens the API's self-contained HTML report in a new tab (it needs the token, so not a plain link). */
async function openHtml(runId: string): Promise<void> {
  const tab = window.open('', '_blank');
  const html = await api.getDrillReportHtml(runId);
  const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
  if (tab) tab.location.href = url;
  else window.location.href = url;
}

/** One drill's report: verdict, each objective against its measurement, deviations and the timeline. */
export function DrillReportPage({ runId }: { runId: string }) {
  const [report, setReport] = useState<DrillReport>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    api.getDrillReport(runId).then(setReport, (e: ApiCallError) => setError(e.message));
  }, [runId]);
  if (error) return <p className="error">Could not read the report: {error}</p>;
  if (!report) return <p>Loading report…</p>;
  return (
    <section className="drill-report" data-verdict={report.verdict}>
      <h1>
        Drill report: {report.runbookTitle} <span className={`run-status verdict-${report.verdict}`}>{report.verdict}</span>
      </h1>
      <p>
        <a href={`#/runs/${encodeURIComponent(runId)}`}>run {runId}</a> · <a href={`#/runbooks/${encodeURIComponent(report.runbookId)}/drills`}>all drills</a> · started{' '}
        {new Date(report.startedAt).toLocaleString()} by {report.trigger.type}
        {report.trigger.name && ` (${report.trigger.name})`} ·{' '}
        <button type="button" className="link" onClick={() => void openHtml(runId).catch((e: Error) => setError(e.message))}>
          HTML report
        </button>
      </p>
      {report.dryRun && <p className="dry-run-banner">A rehearsal: actions were recorded, not run, so these figures measure nothing real.</p>}
      <table className="runs objectives-table">
        <thead>
          <tr>
            <th>Objective</th>
            <th>Target</th>
            <th>Measured</th>
            <th>Met</th>
          </tr>
        </thead>
        <tbody>
          {report.results.map((r) => (
            <tr key={r.objective} data-objective={r.objective} data-met={String(r.met)}>
              <td>{r.objective.toUpperCase()}</td>
              <td>{formatSeconds(r.targetSeconds)}</td>
              <td>{formatSeconds(r.measuredSeconds)}</td>
              <td className={r.met === true ? 'verdict-passed' : r.met === false ? 'verdict-failed' : 'verdict-incomplete'}>{r.met === null ? 'not measured' : r.met ? 'yes' : 'no'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.deviations.length > 0 && (
        <>
          <h2>Deviations</h2>
          <ul className="deviations">
            {report.deviations.map((d, i) => (
              <li key={i} data-deviation={d.type}>
                {d.nodeId && <code>{d.nodeId}</code>} {d.message}
              </li>
            ))}
          </ul>
        </>
      )}
      <h2>Timeline</h2>
      <ol className="timeline">
        {report.timeline.map((entry, i) =>
          entry.type === 'step' ? (
            <li key={i} data-node={entry.nodeId} className={`status-${entry.status}`}>
              <strong>{entry.title}</strong> ({entry.kind}) — {entry.status}
              {entry.durationSeconds !== undefined && `, ${formatSeconds(entry.durationSeconds)}`}
              {entry.outcome && `, ${entry.outcome}`}
              {entry.error && <span className="error"> {entry.error}</span>}
            </li>
          ) : (
            <li key={i} data-decision={entry.nodeId}>
              {entry.by} {entry.decision === 'approve' ? 'approved' : 'rejected'} <strong>{entry.title}</strong> at {new Date(entry.at).toLocaleString()}
              {entry.comment && `: “${entry.comment}”`}
            </li>
          ),
        )}
      </ol>
    </section>
  );
}
