import { stepErrors, type NodeState } from '@runwright/runbook';
import type { Draft, DraftNode } from '../document/draft';

export type RollbackStatus = 'pending' | 'rolled-back' | 'failed';

export interface RollbackStep {
  nodeId: string;
  /** 1 for the first rollback to run: the interpreter undoes completed nodes newest first. */
  order: number;
  status: RollbackStatus;
  /** The rollback action's kind (`shell`, `http`…); `items` for a forEach undone item by item. */
  kind: string;
  /** forEach nodes: how many of the items that had completed are rolled back. */
  items?: { rolledBack: number; total: number };
  error?: string;
}

const completed = new Set(['succeeded', 'rolled-back']);
const failedRollback = (state: NodeState | undefined) => state?.error?.type === stepErrors.rollbackFailed;

/** A forEach's items that completed (and so have something to undo), and how many are undone. */
function itemCounts(state: NodeState | undefined): { rolledBack: number; total: number } | undefined {
  const items = Object.values(state?.progress?.items ?? {});
  const rolledBack = items.filter((s) => s === 'rolled-back').length;
  const total = rolledBack + items.filter((s) => s === 'succeeded').length;
  return total > 0 ? { rolledBack, total } : undefined;
}

/**
 * The run's compensation, as the interpreter runs it: every completed node that has a rollback
 * action, and every forEach whose body has some (its completed items are undone one by one), in
 * reverse completion order. Empty until compensation has begun (something rolled back, or a
 * rollback failed), so a healthy run shows no lane. Pure.
 */
export function rollbackLane(draft: Draft, states: Record<string, NodeState>): RollbackStep[] {
  const begun = Object.values(states).some((s) => s.status === 'rolled-back' || failedRollback(s) || (itemCounts(s)?.rolledBack ?? 0) > 0);
  if (!begun) return [];
  const undoableBody = new Set(draft.nodes.filter((n) => n.rollback && typeof n.parent === 'string').map((n) => n.parent as string));
  const candidates = draft.nodes.filter((node) => {
    const state = states[node.id];
    if (!state || typeof node.parent === 'string') return false;
    if (node.rollback) return completed.has(state.status) || failedRollback(state);
    return undoableBody.has(node.id) && (itemCounts(state) !== undefined || failedRollback(state));
  });
  // Completion time orders them as the interpreter's list does; ISO strings sort as times.
  const ended = (id: string) => states[id]?.endedAt ?? '';
  const ordered = [...candidates].sort((a, b) => (ended(a.id) < ended(b.id) ? 1 : ended(a.id) > ended(b.id) ? -1 : 0));
  return ordered.map((node, index) => step(node, states[node.id]!, index + 1));
}

function step(node: DraftNode, state: NodeState, order: number): RollbackStep {
  const items = node.rollback ? undefined : itemCounts(state);
  const done = state.status === 'rolled-back' || (items !== undefined && items.rolledBack === items.total);
  const status: RollbackStatus = failedRollback(state) ? 'failed' : done ? 'rolled-back' : 'pending';
  const rollback = node.rollback as { kind?: unknown } | undefined;
  return {
    nodeId: node.id,
    order,
    status,
    kind: !rollback ? 'items' : typeof rollback.kind === 'string' ? rollback.kind : 'action',
    ...(items && { items }),
    ...(status === 'failed' && { error: state.error!.message }),
  };
}
