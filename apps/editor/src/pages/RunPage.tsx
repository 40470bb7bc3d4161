import { useMemo, useState } from 'react';
import { RunbookCanvas } from '../canvas/RunbookCanvas';
import { rollbackLane } from '../canvas/rollback-lane';
import { shortHash as short } from '../short-hash';
import { CancelRunButton } from './CancelRunButton';
import { CheckpointForm } from './CheckpointForm';
import { HeldBackAlerts } from './HeldBackAlerts';
import { RollbackLanePanel } from './RollbackLanePanel';
import { RunNodeInspector } from './RunNodeInspector';
import { useRunRunbook } from './use-run-runbook';
import { isFinished, useRunView } from './use-run-view';

/** A run on the same canvas, coloured by live status, with its pending checkpoints. */
export function RunPage({ runId }: { runId: string }) {
  const { run, error, mode } = useRunView(runId);
  const [selected, setSelected] = useState<string>();
  const runbook = useRunRunbook(runId, run?.state.runbookId, run?.state.planHash);
  const states = run?.state.nodes;
  const lane = useMemo(() => (runbook && states ? rollbackLane(runbook.draft, states) : []), [runbook, states]);

  if (!run) return <p>{error ? `Could not read the run: ${error}` : 'Loading run…'}</p>;
  const { state } = run;
  const selectedNode = selected ? runbook?.draft.nodes.find((n) => n.id === selected) : undefined;
  const selectedRollback = selected ? lane.find((s) => s.nodeId === selected) : undefined;
  return (
    <section className="page-with-canvas run-page" data-live={mode} data-dry-run={state.dryRun === true} data-drawn-from={runbook?.from}>
      <header>
        <h1>
          Run <code>{runId}</code> <span className={`run-status status-${state.status}`}>{state.status}</span>
          {state.dryRun && <span className="run-status dry-run-tag">dry run</span>}
        </h1>
        {state.dryRun && <p className="dry-run-banner">Dry run: no action was carried out. Each action node records what it would have done.</p>}
        <p>
          <a href={`#/runbooks/${encodeURIComponent(state.runbookId)}`}>{state.runbookId}</a> · version <code title={state.planHash}>{short(state.planHash)}</code> · started by{' '}
          {state.startedBy} at {new Date(state.startedAt).toLocaleString()}
          {run.temporalUiUrl && (
            <>
              {' · '}
              <a href={run.temporalUiUrl} target="_blank" rel="noreferrer">
                open in Temporal UI
              </a>
            </>
          )}
          {runbook?.draft.objectives !== undefined && (
            <>
              {' · '}
              <a className="drill-report-link" href={`#/runs/${encodeURIComponent(runId)}/report`}>
                drill report
              </a>
            </>
          )}
          {' · '}
          <span className="live-mode">{mode === 'stream' ? 'live (server events)' : mode === 'polling' ? 'live (polling)' : 'final'}</span>
        </p>
        {runbook?.changedSince && (
          <p className="version-note" data-version-note={runbook.from}>
            {runbook.from === 'run'
              ? `The runbook's file has changed since this run started (now ${short(runbook.changedSince.filePlanHash)}); the canvas shows the version the run runs.`
              : `The runbook's file has changed since this run started; the canvas shows the current file, which may differ from what the run runs.`}
          </p>
        )}
        {!isFinished(run) && <CancelRunButton runId={runId} />}
        {state.error && <p className="error">{state.error.message}</p>}
        <HeldBackAlerts state={state} />
        {state.pendingCheckpoints.map((checkpoint) => (
          <CheckpointForm key={`${checkpoint.nodeId}/${checkpoint.item?.key ?? ''}`} runId={runId} planHash={state.planHash} checkpoint={checkpoint} />
        ))}
        <RollbackLanePanel lane={lane} onSelect={setSelected} />
      </header>
      <div className="run-body">
        {runbook && <RunbookCanvas runbook={runbook.draft} states={state.nodes} onSelect={setSelected} />}
        {selected && (
          <RunNodeInspector
            nodeId={selected}
            {...(selectedNode && { node: selectedNode })}
            {...(state.nodes[selected] && { state: state.nodes[selected] })}
            {...(selectedRollback && { rollback: selectedRollback })}
          />
        )}
      </div>
    </section>
  );
}
