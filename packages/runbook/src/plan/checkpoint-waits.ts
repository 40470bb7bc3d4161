import type { PlanStage, PlannedCheckpoint, PlannedNode, Runs } from './preview.js';

/**
 * A checkpoint a forEach waits at: a checkpoint node of its body, once per item; the canary
 * batch's own checkpoint, once after the first batch; or its `afterEachBatch` checkpoint, once
 * between each two batches. `nodeId` is the id the run's inbox shows (`<forEach>.canary` for the
 * canary's; `<forEach>.batch-<n>` for the gates between batches, n being the batch just done).
 */
export interface ForEachCheckpoint {
  nodeId: string;
  canary: boolean;
  /** The `afterEachBatch` checkpoint: the batches it waits after (absent while the batches are known only at run time). */
  afterEachBatch?: { batches?: number[] };
  /** Keys of the items it waits for (body checkpoints, items known before the run). */
  items?: string[];
  /** Keys of the items it may wait for: a condition or an earlier branch decides during the run. */
  maybeItems?: string[];
  /** Times it waits at most (counting `maybeItems`); absent while the items are known only at run time. */
  waits?: number;
  /** Approvals each wait needs. */
  quorum: number;
}

/** Approvals the rollout asks for at most: every wait times its quorum; absent when any count is unknown. */
export function decisionsAsked(checkpoints: readonly ForEachCheckpoint[]): number | undefined {
  let total = 0;
  for (const checkpoint of checkpoints) {
    if (checkpoint.waits === undefined) return undefined;
    total += checkpoint.waits * checkpoint.quorum;
  }
  return total;
}

/** Splits items by whether a checkpoint waits for them, from what the preview knows per item. */
export function perItemWaits(nodeId: string, quorum: number, items: { key: string; runs: Runs }[]): ForEachCheckpoint {
  const sure = items.filter((i) => i.runs === 'yes').map((i) => i.key);
  const maybe = items.filter((i) => i.runs === 'maybe').map((i) => i.key);
  return { nodeId, canary: false, items: sure, ...(maybe.length > 0 && { maybeItems: maybe }), waits: sure.length + maybe.length, quorum };
}

/** A checkpoint config's quorum once parsed (a template left for the run counts as one). */
export function quorumOf(config: unknown): number {
  const quorum = (config as { quorum?: unknown } | undefined)?.quorum;
  return typeof quorum === 'number' && quorum > 0 ? quorum : 1;
}

/**
 * Every checkpoint a run may wait at, in plan order: top-level ones, those inside forEach bodies
 * (with the items they wait for), and each forEach's checkpoints between batches (the canary's,
 * the `afterEachBatch` one) under the ids the inbox uses.
 */
export function plannedCheckpoints(stages: readonly PlanStage[]): PlannedCheckpoint[] {
  const checkpoints: PlannedCheckpoint[] = [];
  const rules = (nodeId: string, runs: Runs, config: unknown) => {
    const c = (config ?? {}) as Record<string, unknown>;
    return { nodeId, runs, title: c.title, approvers: c.approvers, quorum: c.quorum, fourEyes: c.fourEyes, checklist: c.checklist };
  };
  const collect = (list: readonly PlanStage[], forEach: PlannedNode | undefined) => {
    for (const stage of list) for (const node of stage.nodes) {
      if (node.kind === 'checkpoint') {
        const waits = forEach?.forEach!.checkpoints.find((c) => c.nodeId === node.id);
        const perItem = forEach && {
          forEachId: forEach.id,
          ...(waits?.items && { items: waits.items }),
          ...(waits?.maybeItems && { maybeItems: waits.maybeItems }),
          ...(waits?.waits !== undefined && { waits: waits.waits }),
        };
        checkpoints.push({ ...rules(node.id, node.runs, node.config), ...(perItem && { perItem }) });
      }
      if (node.forEach) {
        collect(node.forEach.body, node);
        const config = node.config as { canary?: { checkpoint?: unknown }; afterEachBatch?: { checkpoint?: unknown } };
        for (const gate of node.forEach.checkpoints) {
          if (gate.canary) {
            // The canary's own checkpoint, or the per-batch one standing in for it.
            checkpoints.push({ ...rules(gate.nodeId, node.runs, config.canary?.checkpoint ?? config.afterEachBatch?.checkpoint), canaryOf: node.id });
          } else if (gate.afterEachBatch) {
            const { batches } = gate.afterEachBatch;
            const waits = gate.waits !== undefined && { waits: gate.waits };
            checkpoints.push({ ...rules(gate.nodeId, node.runs, config.afterEachBatch?.checkpoint), batchGate: { forEachId: node.id, ...(batches && { batches }), ...waits } });
          }
        }
      }
    }
  };
  collect(stages, undefined);
  return checkpoints;
}
