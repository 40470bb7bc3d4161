import type { RollbackStep } from '../canvas/rollback-lane';

const said = { pending: 'waiting to roll back', 'rolled-back': 'rolled back', failed: 'rollback failed' } as const;

/** The compensation of a run, in the order it runs: newest completed step first. */
export function RollbackLanePanel({ lane, onSelect }: { lane: RollbackStep[]; onSelect: (nodeId: string) => void }) {
  if (lane.length === 0) return null;
  const done = lane.filter((s) => s.status === 'rolled-back').length;
  return (
    <section className="rollback-lane" aria-label="Rollback lane">
      <h2>
        ↩ Rollback lane — {done}/{lane.length} rolled back
      </h2>
      <ol>
        {lane.map((step) => (
          <li key={step.nodeId} data-rollback-node={step.nodeId} data-rollback-status={step.status} className={`rollback-${step.status}`}>
            <button type="button" className="link" onClick={() => onSelect(step.nodeId)}>
              {step.nodeId}
            </button>{' '}
            ({step.items ? `${step.items.rolledBack}/${step.items.total} items undone` : step.kind}) — {said[step.status]}
            {step.error && `: ${step.error}`}
          </li>
        ))}
      </ol>
    </section>
  );
}
