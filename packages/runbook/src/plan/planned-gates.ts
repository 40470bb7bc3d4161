import type { StepConfig } from '../steps/registry.js';
import { batchGateId, gateAfterBatch, type BatchGate } from './batch-gates.js';
import { quorumOf, type ForEachCheckpoint } from './checkpoint-waits.js';
import type { PlannedGate, Runs } from './preview.js';

type Gated = Pick<StepConfig<'forEach'>, 'canary' | 'afterEachBatch'>;

function gatesOf(forEachId: string, config: Gated, batches: number): BatchGate[] {
  return Array.from({ length: batches }, (_, i) => gateAfterBatch(forEachId, config, i + 1, batches)).filter((g): g is BatchGate => g !== undefined);
}

/** The gates between batches, in order, as the preview shows them. */
export function plannedGates(forEachId: string, config: Gated, batches: number): PlannedGate[] {
  return gatesOf(forEachId, config, batches).map((gate) => ({
    id: gate.id,
    afterBatch: gate.batch,
    canary: gate.canary,
    ...(gate.observe && { observe: { duration: gate.observe.duration, interval: gate.observe.interval, guards: gate.observe.guards.map((g) => g.name) } }),
    ...(gate.checkpoint && { checkpoint: { title: gate.checkpoint.title } }),
  }));
}

/**
 * The checkpoints a forEach waits at between batches, with how often: the canary gate's once,
 * the `afterEachBatch` one after each batch that has it (from the same rule the interpreter
 * follows). `batches` is absent while the items are known only during the run.
 */
export function batchGateCheckpoints(forEachId: string, config: Gated, batches: number | undefined, runs: Runs): ForEachCheckpoint[] {
  const skipped = runs === 'no';
  const every = config.afterEachBatch?.checkpoint;
  const found: ForEachCheckpoint[] = [];
  if (batches === undefined) {
    const canary = config.canary && (config.canary.checkpoint ?? every);
    // The canary's own checkpoint waits once; one standing in from `afterEachBatch` not when the canary is the only batch.
    const canaryWaits = skipped ? 0 : config.canary?.checkpoint ? 1 : undefined;
    if (canary) found.push({ nodeId: batchGateId(forEachId, 1, true), canary: true, ...(canaryWaits !== undefined && { waits: canaryWaits }), quorum: quorumOf(canary) });
    if (every) found.push({ nodeId: `${forEachId}.batch-<n>`, canary: false, afterEachBatch: {}, ...(skipped && { waits: 0 }), quorum: quorumOf(every) });
    return found;
  }
  const gates = gatesOf(forEachId, config, batches).filter((g) => g.checkpoint);
  const canary = gates.find((g) => g.canary);
  if (canary) found.push({ nodeId: canary.id, canary: true, waits: skipped ? 0 : 1, quorum: quorumOf(canary.checkpoint) });
  if (every) {
    const after = skipped ? [] : gates.filter((g) => !g.canary).map((g) => g.batch);
    found.push({ nodeId: `${forEachId}.batch-<n>`, canary: false, afterEachBatch: { batches: after }, waits: after.length, quorum: quorumOf(every) });
  }
  return found;
}
