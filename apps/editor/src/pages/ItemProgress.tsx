import type { BatchGateState, NodeState } from '@runwright/runbook';

const gateLabel: Record<BatchGateState['status'], string> = {
  observing: 'soaking',
  waiting: 'waiting for sign-off',
  passed: 'passed',
  failed: 'failed',
  abandoned: 'abandoned',
};

/** One gate between batches: its state, the soak's polls, who signed off, and why it failed. */
function Gate({ gate }: { gate: BatchGateState }) {
  const decided = gate.decision && `${gate.decision.outcome}${gate.decision.by.length ? ` by ${gate.decision.by.join(', ')}` : ''}`;
  return (
    <li className={`batch-gate status-${gate.status}`} data-gate={gate.id} data-gate-status={gate.status}>
      after batch {gate.batch}: <code>{gate.id}</code> {gateLabel[gate.status]}
      {gate.polls !== undefined && ` · ${gate.polls} poll${gate.polls === 1 ? '' : 's'} passed`}
      {decided && ` · ${decided}`}
      {gate.error && <span className="error"> · {gate.error.message}</span>}
    </li>
  );
}

/** A forEach node's items as a grid of coloured cells, one per item, with its batches and the gates between them. */
export function ItemProgress({ progress }: { progress: NonNullable<NodeState['progress']> }) {
  const items = Object.entries(progress.items);
  return (
    <div className="item-progress">
      <p>
        {items.filter(([, s]) => s === 'succeeded').length}/{progress.total} items done · batch {progress.batchesDone}/{progress.batches}
        {items.some(([, s]) => s === 'rolled-back') && ` · ${items.filter(([, s]) => s === 'rolled-back').length} rolled back`}
        {progress.halted && <strong className="error"> · halted</strong>}
      </p>
      <div className="item-grid">
        {items.map(([key, status]) => (
          <span key={key} className={`item-cell status-${status}`} title={`${key}: ${status}`} data-item={key} data-status={status} />
        ))}
      </div>
      {progress.gates && progress.gates.length > 0 && (
        <ol className="batch-gates" aria-label="Gates after batches">
          {progress.gates.map((gate) => (
            <Gate key={gate.id} gate={gate} />
          ))}
        </ol>
      )}
    </div>
  );
}
