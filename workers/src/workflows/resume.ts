import type { Edge, RunInput } from '@runwright/runbook';

/**
 * The outputs a resumed run takes over: every completed node of the old run except the node it
 * restarts at and everything downstream of that node (which must run again).
 */
export function reusableOutputs(edges: Edge[], resume: RunInput['resume']): Map<string, unknown> {
  if (!resume) return new Map();
  const rerun = new Set([resume.fromNode]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const edge of edges) {
      if (rerun.has(edge.from) && !rerun.has(edge.to)) {
        rerun.add(edge.to);
        grew = true;
      }
    }
  }
  return new Map(Object.entries(resume.completed).filter(([id]) => !rerun.has(id)).map(([id, node]) => [id, node.output]));
}
