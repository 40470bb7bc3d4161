import type { Runbook } from '@runwright/runbook';

/**
 * A runbook of `size` shell nodes in `width` parallel lanes that join at the end: the shape of
 * a wide rollout, and big enough to show what validation and hashing cost.
 */
export function largeRunbookDocument(size: number, width = 10): Record<string, unknown> {
  const nodes: Record<string, unknown>[] = [];
  const edges: { from: string; to: string }[] = [];
  for (let i = 0; i < size; i++) {
    const id = `step-${i}`;
    nodes.push({ id, kind: 'shell', title: `Step ${i}`, config: { command: ['echo', `{{ params.message }} ${i}`] } });
    if (i >= width) edges.push({ from: `step-${i - width}`, to: id });
  }
  return {
    id: 'large',
    title: `Large runbook (${size} nodes)`,
    parameters: { message: { type: 'string', default: 'hello' } },
    nodes,
    edges,
    layout: { nodes: Object.fromEntries(nodes.map((n, i) => [n.id as string, { x: (i % width) * 220, y: Math.floor(i / width) * 120 }])) },
  };
}

export type { Runbook };
