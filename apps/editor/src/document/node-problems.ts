import { validateRunbook, type Problem } from '@runwright/runbook';
import type { Draft } from './draft';

export interface DraftCheck {
  problems: Problem[];
  /** Problems keyed by the id of the node they concern. */
  byNode: Record<string, Problem[]>;
  planHash?: string;
}

/**
 * Runs the shared checks (the same the API and the worker run) on the draft, and places each
 * problem on the node its path points into (`nodes.2.config.url` → the third node).
 */
export function checkDraft(draft: Draft): DraftCheck {
  const result = validateRunbook(draft);
  if (result.ok) return { problems: [], byNode: {}, planHash: result.planHash };
  const byNode: Record<string, Problem[]> = {};
  for (const problem of result.problems) {
    const nodeId = nodeOfPath(draft, problem.path);
    if (nodeId !== undefined) (byNode[nodeId] ??= []).push(problem);
  }
  return { problems: result.problems, byNode };
}

/** The id of the node a problem path concerns, if it concerns one. */
export function nodeOfPath(draft: Draft, path: string): string | undefined {
  const match = /^nodes\.(\d+)(?:\.|$)/.exec(path);
  if (match) return draft.nodes[Number(match[1])]?.id;
  return undefined;
}

/** `nodes.2.config.url` → `config.url`: the field inside the node a problem concerns. */
export function fieldOfPath(path: string): string {
  return path.replace(/^nodes\.\d+\.?/, '');
}
