import { useEffect, useState } from 'react';
import type { RunbookSummary, RunSummary } from '@runwright/runbook';
import { api } from '../api/client';

/** The drill tag's text: what the runbook's drills are measured against. */
function drillTag(objectives: NonNullable<RunbookSummary['objectives']>): string {
  const parts = [
    objectives.rtoSeconds !== undefined && `RTO ${objectives.rtoSeconds} s`,
    objectives.rpoSeconds !== undefined && `RPO ${objectives.rpoSeconds} s`,
  ].filter(Boolean);
  return parts.length > 0 ? `drill · ${parts.join(' · ')}` : 'drill';
}

/** Every runbook, searchable by title, id and tag, with the status of its latest run. */
export function RunbookListPage() {
  const [runbooks, setRunbooks] = useState<RunbookSummary[]>();
  const [lastRuns, setLastRuns] = useState<Record<string, RunSummary>>({});
  const [query, setQuery] = useState('');
  const [error, setError] = useState<string>();
  useEffect(() => {
    api.listRunbooks().then((r) => setRunbooks(r.runbooks), (e: Error) => setError(e.message));
    // Newest first, so the first run seen for a runbook is its latest.
    api.listRuns({ limit: 200 }).then(
      (r) => {
        const latest: Record<string, RunSummary> = {};
        for (const run of r.runs) if (run.runbookId && !latest[run.runbookId]) latest[run.runbookId] = run;
        setLastRuns(latest);
      },
      () => setLastRuns({}),
    );
  }, []);
  if (error) return <p className="error">Could not list runbooks: {error}</p>;
  if (!runbooks) return <p>Loading runbooks…</p>;
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const shown = runbooks.filter((r) => {
    const text = [r.id, r.title, r.description, ...r.tags].join(' ').toLowerCase();
    return words.every((w) => text.includes(w));
  });
  return (
    <section>
      <h1>Runbooks</h1>
      <input type="search" name="runbook-search" placeholder="Search by title, id or tag" value={query} onChange={(e) => setQuery(e.target.value)} />
      <ul className="runbook-list">
        {shown.map((r) => {
          const last = lastRuns[r.id];
          return (
            <li key={r.id} data-runbook={r.id}>
              <a href={`#/runbooks/${r.id}`}>{r.title}</a> <code>{r.file}</code>
              {r.tags.map((t) => (
                <button type="button" className="tag" key={t} onClick={() => setQuery(t)}>
                  {t}
                </button>
              ))}
              {r.objectives && (
                <a className="tag runbook-drills" href={`#/runbooks/${encodeURIComponent(r.id)}/drills`} title="Drill reports of this runbook">
                  {drillTag(r.objectives)}
                </a>
              )}
              {r.problems.length > 0 && <span className="error"> {r.problems.length} problem(s)</span>}
              {(r.triggers?.schedules.length ?? 0) > 0 && (
                <a className="runbook-schedules" href={`#/runbooks/${encodeURIComponent(r.id)}/schedules`}>
                  {r.triggers!.schedules.length} schedule{r.triggers!.schedules.length === 1 ? '' : 's'}
                </a>
              )}
              {last && (
                <a className={`last-run status-${last.status.toLowerCase()}`} href={`#/runs/${encodeURIComponent(last.runId)}`}>
                  last run: {last.status}
                </a>
              )}
              <p>{r.description}</p>
            </li>
          );
        })}
      </ul>
      {shown.length === 0 && <p>No runbook matches “{query}”.</p>}
    </section>
  );
}
