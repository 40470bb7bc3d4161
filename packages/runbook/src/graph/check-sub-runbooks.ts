import type { Runbook } from '../document/runbook.js';
import type { Problem } from './problems.js';

/**
 * A runbook that starts itself as a sub-runbook would start child runs without end. Cycles
 * through other runbooks need the runbook store and are refused by whoever resolves them.
 */
export function checkSubRunbooks(runbook: Pick<Runbook, 'id' | 'nodes'>): Problem[] {
  const problems: Problem[] = [];
  runbook.nodes.forEach((node, i) => {
    if (node.kind !== 'subRunbook') return;
    const target = (node.config as { runbook: string }).runbook;
    if (target === runbook.id) problems.push({ path: `nodes.${i}.config.runbook`, message: `"${node.id}" starts this runbook itself, which would start child runs without end` });
  });
  return problems;
}
