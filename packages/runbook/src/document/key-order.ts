import { stepKinds, isStepType } from '../steps/registry.js';

/** The order a runbook's own keys are written in: what it is, what it takes, what it runs, how it looks. */
export const runbookKeyOrder = [
  'id', 'title', 'description', 'owners', 'tags', 'parameters', 'secrets', 'triggers', 'objectives', 'concurrency', 'defaults',
  'nodes', 'edges', 'layout',
] as const;

/** A node: who it is, then the shared policies, then its kind's own config, always last. */
export const nodeKeyOrder = [
  'id', 'kind', 'parent', 'title', 'description', 'when', 'retry', 'timeout', 'heartbeat', 'runsOn', 'onFailure', 'rollback',
] as const;

export const edgeKeyOrder = ['from', 'to', 'label'] as const;
export const parameterKeyOrder = ['type', 'description', 'default'] as const;
export const secretKeyOrder = ['name', 'description'] as const;

/**
 * Sorts keys: listed ones first in list order, unlisted ones after them alphabetically (so a
 * field added later still lands in one predictable place), `last` ones at the very end.
 */
export function orderKeys(keys: readonly string[], order: readonly string[], last: readonly string[] = []): string[] {
  const rank = (key: string) => (last.includes(key) ? 2 : order.includes(key) ? 0 : 1);
  return [...keys].sort((a, b) => {
    const [ra, rb] = [rank(a), rank(b)];
    if (ra !== rb) return ra - rb;
    if (ra === 0) return order.indexOf(a) - order.indexOf(b);
    if (ra === 2) return last.indexOf(a) - last.indexOf(b);
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

/** Config keys in the order the kind's schema declares them, which is how its author reads them. */
export function configKeyOrder(kind: string): string[] {
  if (!isStepType(kind)) return [];
  const shape = (stepKinds[kind].config as unknown as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

/** The key order for the object found at a document path (`nodes.3.config`), or undefined when any order is fine. */
export function keyOrderAt(path: readonly (string | number)[], document: unknown): { order: readonly string[]; last?: readonly string[] } | undefined {
  const [head, index, sub, ...rest] = path;
  if (path.length === 0) return { order: runbookKeyOrder };
  if (head === 'nodes' && typeof index === 'number') {
    if (path.length === 2) return { order: nodeKeyOrder, last: ['config'] };
    if (sub === 'config' && rest.length === 0) {
      const node = (document as { nodes?: { kind?: unknown }[] }).nodes?.[index];
      return { order: configKeyOrder(String(node?.kind)) };
    }
  }
  if (head === 'edges' && path.length === 2) return { order: edgeKeyOrder };
  if (head === 'parameters' && path.length === 2) return { order: parameterKeyOrder };
  if (head === 'secrets' && path.length === 2) return { order: secretKeyOrder };
  if (head === 'layout' && path.length === 1) return { order: ['nodes', 'notes'] };
  return undefined;
}
