import { useEffect, useState } from 'react';
import type { RunbookSummary } from '@runwright/runbook';
import { api } from '../api/client';

export function RunbookListPage() {
  const [runbooks, setRunbooks] = useState<RunbookSummary[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    api.listRunbooks().then((r) => setRunbooks(r.runbooks), (e: Error) => setError(e.message));
  }, []);
  if (error) return <p className="error">Could not list runbooks: {error}</p>;
  if (!runbooks) return <p>Loading runbooks…</p>;
  return (
    <section>
      <h1>Runbooks</h1>
      <ul className="runbook-list">
        {runbooks.map((r) => (
          <li key={r.id}>
            <a href={`#/runbooks/${r.id}`}>{r.title}</a> <code>{r.file}</code>
            {r.tags.map((t) => (
              <span className="tag" key={t}>
                {t}
              </span>
            ))}
            {r.problems.length > 0 && <span className="error"> {r.problems.length} problem(s)</span>}
            <p>{r.description}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
