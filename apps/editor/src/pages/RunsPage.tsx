import { useEffect, useState } from 'react';
import type { RunSummary } from '@runwright/runbook';
import { api } from '../api/client';

const statuses = ['', 'Running', 'Completed', 'Failed', 'Canceled', 'Terminated', 'TimedOut'];

/** Runs, newest first, from Temporal visibility; filter by runbook, status and dry run. */
export function RunsPage() {
  const [runbookId, setRunbookId] = useState('');
  const [status, setStatus] = useState('');
  const [dryRun, setDryRun] = useState<'' | 'true' | 'false'>('');
  const [runs, setRuns] = useState<RunSummary[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let cancelled = false;
    api.listRuns({ runbookId: runbookId || undefined, status: status || undefined, dryRun: dryRun || undefined }).then(
      (r) => !cancelled && (setRuns(r.runs), setError(undefined)),
      (e: Error) => !cancelled && setError(e.message),
    );
    return () => {
      cancelled = true;
    };
  }, [runbookId, status, dryRun]);
  return (
    <section className="runs-page">
      <h1>Runs</h1>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Runbook
          <input name="runbookId" value={runbookId} placeholder="any" onChange={(e) => setRunbookId(e.target.value.trim())} />
        </label>
        <label>
          Status
          <select name="status" value={status} onChange={(e) => setStatus(e.target.value)}>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {s || 'any'}
              </option>
            ))}
          </select>
        </label>
        <label>
          Kind
          <select name="dryRun" value={dryRun} onChange={(e) => setDryRun(e.target.value as '' | 'true' | 'false')}>
            <option value="">any</option>
            <option value="false">real runs</option>
            <option value="true">dry runs</option>
          </select>
        </label>
      </form>
      {error && <p className="error">{error}</p>}
      {runs && runs.length === 0 && <p>No runs match.</p>}
      {runs && runs.length > 0 && (
        <table className="runs">
          <thead>
            <tr>
              <th>Run</th>
              <th>Runbook</th>
              <th>Status</th>
              <th>Trigger</th>
              <th>Started</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <tr key={run.runId} data-run-id={run.runId}>
                <td>
                  <a href={`#/runs/${encodeURIComponent(run.runId)}`}>{run.runId}</a>
                  {run.dryRun && <span className="run-status dry-run-tag">dry run</span>}
                </td>
                <td>{run.runbookId}</td>
                <td className={`status-${run.status.toLowerCase()}`}>{run.status}</td>
                <td>{run.trigger}</td>
                <td>{new Date(run.startTime).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
