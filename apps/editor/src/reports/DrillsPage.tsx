import { useEffect, useState } from 'react';
import type { DrillSummary, Objectives } from '@runwright/runbook';
import { api, ApiCallError } from '../api/client';
import { formatSeconds } from './rto-chart';
import { RtoChart } from './RtoChart';

/** A drill runbook's drills, newest first, with the RTO trend against the objective. */
export function DrillsPage({ runbookId }: { runbookId: string }) {
  const [data, setData] = useState<{ objectives: Objectives; drills: DrillSummary[] }>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    api.listDrills(runbookId).then(
      (r) => setData({ objectives: r.objectives, drills: r.drills }),
      (e: ApiCallError) => setError(e.status === 409 ? `${runbookId} has no objectives, so its runs are not drills.` : e.message),
    );
  }, [runbookId]);
  if (error) return <p className="error">{error}</p>;
  if (!data) return <p>Loading drills…</p>;
  const { objectives, drills } = data;
  return (
    <section className="drills-page">
      <h1>
        Drills of <a href={`#/runbooks/${encodeURIComponent(runbookId)}`}>{runbookId}</a>
      </h1>
      <p className="objectives">
        Objectives: RTO {formatSeconds(objectives.rtoSeconds)} · RPO {formatSeconds(objectives.rpoSeconds)} · recovered when <code>{objectives.recoveredAt}</code> succeeds
      </p>
      {drills.length === 0 ? (
        <p>No drills yet. Start one from the runbook, or let its schedule run it.</p>
      ) : (
        <>
          <RtoChart drills={drills} {...(objectives.rtoSeconds !== undefined && { rtoSeconds: objectives.rtoSeconds })} />
          <table className="runs drills">
            <thead>
              <tr>
                <th>Started</th>
                <th>Trigger</th>
                <th>Status</th>
                <th>Recovery</th>
                <th>Data loss</th>
                <th>Verdict</th>
                <th>Report</th>
              </tr>
            </thead>
            <tbody>
              {drills.map((d) => (
                <tr key={d.runId} data-run-id={d.runId} data-verdict={d.verdict}>
                  <td>{new Date(d.startedAt).toLocaleString()}</td>
                  <td>
                    {d.trigger.type}
                    {d.trigger.name && ` (${d.trigger.name})`}
                  </td>
                  <td>
                    {d.status}
                    {d.dryRun && ' · dry run'}
                  </td>
                  <td>{formatSeconds(d.recoverySeconds)}</td>
                  <td>{formatSeconds(d.dataLossSeconds)}</td>
                  <td className={`verdict verdict-${d.verdict}`}>{d.verdict}</td>
                  <td>
                    <a href={`#/runs/${encodeURIComponent(d.runId)}/report`}>report</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
