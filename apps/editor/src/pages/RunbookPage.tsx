import { useEffect, useState } from 'react';
import type { Runbook } from '@runwright/runbook';
import { api, ApiCallError } from '../api/client';
import { RunbookCanvas } from '../canvas/RunbookCanvas';
import { navigate } from '../use-hash-route';

/** A runbook's graph, with a form to start it. */
export function RunbookPage({ runbookId }: { runbookId: string }) {
  const [runbook, setRunbook] = useState<Runbook>();
  const [params, setParams] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  useEffect(() => {
    api.getRunbook(runbookId).then(
      (r) => setRunbook(r.runbook as unknown as Runbook),
      (e: ApiCallError) => setError(e.message),
    );
  }, [runbookId]);

  if (error) return <p className="error">{error}</p>;
  if (!runbook) return <p>Loading…</p>;

  const start = async () => {
    const values: Record<string, unknown> = {};
    for (const [name, parameter] of Object.entries(runbook.parameters)) {
      const raw = params[name];
      if (raw === undefined || raw === '') continue;
      values[name] = parameter.type === 'number' ? Number(raw) : parameter.type === 'boolean' ? raw === 'true' : raw;
    }
    try {
      const { runId } = await api.startRun(runbook.id, values);
      navigate(`/runs/${encodeURIComponent(runId)}`);
    } catch (e) {
      const apiError = e as ApiCallError;
      setError(`${apiError.message}${apiError.body?.details.map((d) => `\n${d.path}: ${d.message}`).join('') ?? ''}`);
    }
  };

  return (
    <section className="page-with-canvas">
      <header>
        <h1>{runbook.title}</h1>
        <p>{runbook.description}</p>
        <form
          className="start-form"
          onSubmit={(event) => {
            event.preventDefault();
            void start();
          }}
        >
          {Object.entries(runbook.parameters).map(([name, parameter]) => (
            <label key={name}>
              {name}
              <input
                name={name}
                placeholder={parameter.default === undefined ? '' : String(parameter.default)}
                value={params[name] ?? ''}
                onChange={(event) => setParams({ ...params, [name]: event.target.value })}
              />
            </label>
          ))}
          <button type="submit">Start run</button>
        </form>
      </header>
      <RunbookCanvas runbook={runbook} />
    </section>
  );
}
