import type { PlanPreview } from '@runwright/runbook';

export type PlannedCheckpoint = Extract<PlanPreview, { ok: true }>['checkpoints'][number];

/** Inside a forEach a checkpoint waits once per item; the canary's waits once: say how often. */
export function checkpointWaits(checkpoint: PlannedCheckpoint): string {
  if (checkpoint.canaryOf) return ` — once, after the canary batch of ${checkpoint.canaryOf}`;
  const perItem = checkpoint.perItem;
  if (!perItem) return '';
  if (perItem.waits === undefined) return ` — once per item of ${perItem.forEachId} (items known during the run)`;
  const maybe = perItem.maybeItems?.length ? `, perhaps also for ${perItem.maybeItems.join(', ')}` : '';
  return ` — ${perItem.waits} time${perItem.waits === 1 ? '' : 's'}, once per item of ${perItem.forEachId}${perItem.items?.length ? ` (${perItem.items.join(', ')})` : ''}${maybe}`;
}
