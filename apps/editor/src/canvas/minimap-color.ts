import type { Node } from '@xyflow/react';
import type { StepNodeData } from './to-flow';

// The minimap draws plain rectangles; colour them as the nodes are coloured (styles.css).
const colors: Record<string, string> = {
  running: '#2f80ed',
  waiting: '#f2a33a',
  succeeded: '#27ae60',
  failed: '#d63b3b',
  skipped: '#9aa3b2',
  'rolled-back': '#8e44ad',
};

const diffColors: Record<string, string> = { added: '#27ae60', removed: '#d63b3b', changed: '#f2a33a', moved: '#2f80ed' };

export function minimapColor(node: Node): string {
  const data = node.data as StepNodeData;
  if (data.diff && diffColors[data.diff]) return diffColors[data.diff]!;
  if (data.problems?.length) return colors.failed!;
  return colors[data.state?.status ?? ''] ?? '#c9ced8';
}
