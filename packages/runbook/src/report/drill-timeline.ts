import type { Runbook } from '../document/runbook.js';
import type { CheckpointDecision, RunState } from '../protocol/run-state.js';
import type { TimelineEntry } from './drill-report-schema.js';
import { secondsBetween } from './drill-measure.js';

type RunbookNodeLike = Pick<Runbook['nodes'][number], 'id' | 'kind' | 'title' | 'config'>;

function checklistLabels(node: RunbookNodeLike | undefined): Map<string, string> {
  const checklist = (node?.config as { checklist?: { id: string; label: string }[] } | undefined)?.checklist ?? [];
  return new Map(checklist.map((item) => [item.id, item.label]));
}

function decisionsOf(nodeId: string, state: RunState): CheckpointDecision[] {
  const output = state.nodes[nodeId]?.output as { decisions?: CheckpointDecision[] } | undefined;
  if (Array.isArray(output?.decisions)) return output.decisions;
  // Still waiting: the approvals given so far (a quorum not yet reached).
  return state.pendingCheckpoints.find((c) => c.nodeId === nodeId)?.approvals ?? [];
}

/**
 * Steps in the order they ran, each checkpoint followed by its decisions with the checklist
 * answers labelled as the checklist asked them. Nodes that never started are left out.
 */
export function drillTimeline(runbook: Pick<Runbook, 'nodes'>, state: RunState): TimelineEntry[] {
  const byId = new Map<string, RunbookNodeLike>(runbook.nodes.map((n) => [n.id, n]));
  const order = new Map(runbook.nodes.map((n, i) => [n.id, i]));
  const ran = Object.entries(state.nodes).filter(([, node]) => node.status !== 'pending');
  ran.sort(([a, x], [b, y]) => {
    const [ta, tb] = [x.startedAt ?? x.endedAt ?? '\uffff', y.startedAt ?? y.endedAt ?? '\uffff'];
    return ta < tb ? -1 : ta > tb ? 1 : (order.get(a) ?? 0) - (order.get(b) ?? 0);
  });
  const entries: TimelineEntry[] = [];
  for (const [id, node] of ran) {
    const definition = byId.get(id);
    const title = definition?.title ?? id;
    const outcome = (node.output as { outcome?: unknown } | undefined)?.outcome;
    entries.push({
      type: 'step',
      nodeId: id,
      title,
      kind: definition?.kind ?? 'unknown',
      status: node.status,
      attempts: node.attempts,
      ...(node.startedAt !== undefined && { startedAt: node.startedAt }),
      ...(node.endedAt !== undefined && { endedAt: node.endedAt }),
      ...(node.startedAt !== undefined && node.endedAt !== undefined && { durationSeconds: secondsBetween(node.startedAt, node.endedAt) }),
      ...(node.error !== undefined && { error: `${node.error.type}: ${node.error.message}` }),
      ...(definition?.kind === 'checkpoint' && typeof outcome === 'string' && { outcome }),
    });
    const labels = checklistLabels(definition);
    for (const decision of definition?.kind === 'checkpoint' ? decisionsOf(id, state) : []) {
      entries.push({
        type: 'decision',
        nodeId: id,
        title,
        decision: decision.decision,
        by: decision.by,
        at: decision.at,
        comment: decision.comment,
        checklist: Object.entries(decision.checklist).map(([item, answer]) => ({ id: item, label: labels.get(item) ?? item, answer })),
      });
    }
  }
  return entries;
}
