import type { NodeState } from '@runwright/runbook';
import type { RollbackStep } from '../canvas/rollback-lane';
import type { DraftNode } from '../document/draft';
import { ItemProgress } from './ItemProgress';

/** One node of a run: status, attempts, timings, error, items, output, and its part in a rollback. */
export function RunNodeInspector({ nodeId, node, state, rollback }: { nodeId: string; node?: DraftNode; state?: NodeState; rollback?: RollbackStep }) {
  const undo = node?.rollback as { kind?: string } | undefined;
  return (
    <aside className="inspector" data-inspecting-run-node={nodeId}>
      <h2>{nodeId}</h2>
      {node?.title && <p>{node.title}</p>}
      {state ? (
        <p>
          {state.status} · attempts {state.attempts}
          {state.retries !== undefined && state.retries > 0 && ` · retried ${state.retries} time${state.retries === 1 ? '' : 's'} by a person`}
        </p>
      ) : (
        <p>not started</p>
      )}
      {state?.startedAt && <p>started {state.startedAt}</p>}
      {state?.endedAt && <p>ended {state.endedAt}</p>}
      {state?.error && (
        <p className="error">
          {state.error.type}: {state.error.message}
        </p>
      )}
      {undo && (
        <div className="run-node-rollback" data-rollback-status={rollback?.status ?? 'none'}>
          <h3>Rollback</h3>
          <p>
            {undo.kind ?? 'action'}
            {rollback
              ? ` — step ${rollback.order} of the rollback lane: ${rollback.status === 'rolled-back' ? 'rolled back' : rollback.status === 'failed' ? 'failed' : 'waiting'}`
              : ' — runs if the run rolls back after this step completed'}
          </p>
        </div>
      )}
      {state?.progress && <ItemProgress progress={state.progress} />}
      {state?.output !== undefined && <pre className="output">{JSON.stringify(state.output, null, 2)}</pre>}
    </aside>
  );
}
