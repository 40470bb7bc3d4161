import type { NodeState } from '@runwright/runbook';

/** A forEach node's items as a grid of coloured cells, one per item, with its batches. */
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
    </div>
  );
}
