import type { ObserveWindow } from '../steps/observe.js';
import type { StepConfig } from '../steps/registry.js';

type ForEachConfig = StepConfig<'forEach'>;

/** What waits after one batch of a forEach before the next batch may start. */
export interface BatchGate {
  /**
   * The id the gate's soak and checkpoint go by (activity ids, the run's inbox, `runwright approve`):
   * `<forEach>.canary` after the canary batch, `<forEach>.batch-<n>` after batch n otherwise.
   * One id per batch, so a decision meant for one batch can never approve the next one.
   */
  id: string;
  /** The batch it follows, counted from 1. */
  batch: number;
  /** Batches of the rollout. */
  batches: number;
  /** It follows the canary batch. */
  canary: boolean;
  observe?: ObserveWindow;
  checkpoint?: StepConfig<'checkpoint'>;
}

/** The id of the gate after batch `batch` (from 1): what the inbox and the preview name it. */
export function batchGateId(forEachId: string, batch: number, canary: boolean): string {
  return canary ? `${forEachId}.canary` : `${forEachId}.batch-${batch}`;
}

/**
 * The gate after batch `batch` (from 1) of `batches`, or nothing when none waits there. The
 * interpreter and the plan preview both ask this, so they cannot disagree:
 * - after the canary batch: the canary's `observe` and `checkpoint`, each falling back to
 *   `afterEachBatch`'s (so a canary with only a sign-off still gets the per-batch soak);
 * - after any other batch: `afterEachBatch`'s soak, and its checkpoint unless the batch is the
 *   last (nothing of the rollout is left to hold back; the plan's next node decides what follows);
 * - the soak runs after the last batch too: the seed's "watch at least 20 minutes after the
 *   upgrade" applies to the hosts upgraded last as much as to the others.
 * The canary's own checkpoint keeps waiting after a canary that is the only batch, as it always has.
 */
export function gateAfterBatch(
  forEachId: string,
  config: Pick<ForEachConfig, 'canary' | 'afterEachBatch'>,
  batch: number,
  batches: number,
): BatchGate | undefined {
  const canary = batch === 1 && config.canary !== undefined;
  const every = config.afterEachBatch;
  const last = batch === batches;
  const observe = (canary ? config.canary?.observe : undefined) ?? every?.observe;
  const checkpoint = (canary ? config.canary?.checkpoint : undefined) ?? (last ? undefined : every?.checkpoint);
  if (!observe && !checkpoint) return undefined;
  return {
    id: batchGateId(forEachId, batch, canary),
    batch,
    batches,
    canary,
    ...(observe && { observe }),
    ...(checkpoint && { checkpoint }),
  };
}
