import type { PlanPreview } from '@runwright/runbook';

export type PlannedCheckpoint = Extract<PlanPreview, { ok: true }>['checkpoints'][number];

/** Inside a forEach a checkpoint waits once per item; the canary's once; a per-batch one between batches: say how often. */
export function checkpointWaits(checkpoint: PlannedCheckpoint): string {
  if (checkpoint.canaryOf) return ` — once, after the canary batch of ${checkpoint.canaryOf}`;
  const gate = checkpoint.batchGate;
  if (gate) {
    if (gate.waits === undefined) return ` — after each batch of ${gate.forEachId} but the last (batches known during the run)`;
    const after = gate.batches?.length ? `, after batch${gate.batches.length === 1 ? '' : 'es'} ${gate.batches.join(', ')} of ${gate.forEachId}` : ` after batches of ${gate.forEachId}`;
    return ` — ${gate.waits} time${gate.waits === 1 ? '' : 's'}${after} (not after the last)`;
  }
  const perItem = checkpoint.perItem;
  if (!perItem) return '';
  if (perItem.waits === undefined) return ` — once per item of ${perItem.forEachId} (items known during the run)`;
  const maybe = perItem.maybeItems?.length ? `, perhaps also for ${perItem.maybeItems.join(', ')}` : '';
  return ` — ${perItem.waits} time${perItem.waits === 1 ? '' : 's'}, once per item of ${perItem.forEachId}${perItem.items?.length ? ` (${perItem.items.join(', ')})` : ''}${maybe}`;
}
