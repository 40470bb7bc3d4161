import { useEffect, useState } from 'react';
import type { RunView } from '@runwright/runbook';
import { api } from '../api/client';
import { RunbookCanvas } from '../canvas/RunbookCanvas';
import type { Draft } from '../document/draft';
import { readYaml } from '../document/yaml-text';
import { usePolling } from '../use-polling';
import { CancelRunButton } from './CancelRunButton';
import { CheckpointForm } from './CheckpointForm';
import { ItemProgress } from './ItemProgress';

const finished = new Set(['succeeded', 'failed', 'cancelled']);

/** A run on the same canvas, coloured by live status, with its pending checkpoints. */
export function RunPage({ runId }: { runId: string }) {
  const { value: run, error } = usePolling<RunView>(() => api.getRun(runId), 1_000, (r) => finished.has(r.state.status), runId);
  const [runbook, setRunbook] = useState<Draft>();
  const [selected, setSelected] = useState<string>();
  const runbookId = run?.state.runbookId;
  useEffect(() => {
    if (!runbookId) return;
    void api.getRunbook(runbookId).then((r) => {
      const read = readYaml(r.source);
      if (read.ok) setRunbook(read.draft);
    });
  }, [runbookId]);

  if (!run) return <p>{error ? `Could not read the run: ${error}` : 'Loading run…'}</p>;
  const { state } = run;
  const node = selected ? state.nodes[selected] : undefined;
  return (
    <section className="page-with-canvas">
      <header>
        <h1>
          Run <code>{runId}</code> <span className={`run-status status-${state.status}`}>{state.status}</span>
        </h1>
        <p>
          <a href={`#/runbooks/${encodeURIComponent(state.runbookId)}`}>{state.runbookId}</a> · started by {state.startedBy} at {new Date(state.startedAt).toLocaleString()}
          {run.temporalUiUrl && (
            <>
              {' · '}
              <a href={run.temporalUiUrl} target="_blank" rel="noreferrer">
                open in Temporal UI
              </a>
            </>
          )}
        </p>
        {!finished.has(state.status) && <CancelRunButton runId={runId} />}
        {state.error && <p className="error">{state.error.message}</p>}
        {state.pendingCheckpoints.map((checkpoint) => (
          <CheckpointForm key={checkpoint.nodeId} runId={runId} planHash={state.planHash} checkpoint={checkpoint} />
        ))}
      </header>
      <div className="run-body">
        {runbook && <RunbookCanvas runbook={runbook} states={state.nodes} onSelect={setSelected} />}
        {node && (
          <aside className="inspector">
            <h2>{selected}</h2>
            <p>
              {node.status} · attempts {node.attempts}
            </p>
            {node.startedAt && <p>started {node.startedAt}</p>}
            {node.endedAt && <p>ended {node.endedAt}</p>}
            {node.error && (
              <p className="error">
                {node.error.type}: {node.error.message}
              </p>
            )}
            {node.progress && <ItemProgress progress={node.progress} />}
            {node.output !== undefined && <pre className="output">{JSON.stringify(node.output, null, 2)}</pre>}
          </aside>
        )}
      </div>
    </section>
  );
}
