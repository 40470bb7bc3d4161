import jsonata from 'jsonata';
import type { Runbook } from '../document/runbook.js';
import { templateExpressions } from '../expressions/template.js';
import { expressionRootsIn, stepReferencesIn } from '../expressions/step-references.js';
import { ancestorsOf } from './ancestors.js';
import type { Problem } from './problems.js';

/** What the data-loss expression may read: the run's outputs and parameters, as a report sees them after the run. */
const dataLossRoots = new Set(['steps', 'params', 'run']);

function dataLossProblems(source: string, byId: Map<string, { parent?: string | undefined }>): Problem[] {
  const path = 'objectives.dataLossSeconds';
  const expressions = templateExpressions(source);
  if (expressions.length !== 1 || !/^\{\{[\s\S]*\}\}$/.test(source.trim())) {
    return [{ path, message: 'write one {{ expression }} giving the seconds of data lost, e.g. "{{ steps.check-marker.output.lossSeconds }}"' }];
  }
  let ast: unknown;
  try {
    ast = jsonata(expressions[0]!).ast();
  } catch (error) {
    return [{ path, message: `expression does not parse: ${(error as { message?: string }).message ?? String(error)}` }];
  }
  const problems: Problem[] = [];
  for (const root of expressionRootsIn(ast)) {
    if (!dataLossRoots.has(root) && !root.startsWith('$')) problems.push({ path, message: `reads "${root}"; a drill report can read only steps, params and run` });
  }
  for (const { id } of stepReferencesIn(ast)) {
    const node = byId.get(id);
    if (!node) problems.push({ path, message: `reads steps.${id}, but there is no node with id "${id}"` });
    else if (node.parent !== undefined) problems.push({ path, message: `reads steps.${id}, which runs once per item inside "${node.parent}"; read a node of the runbook graph` });
  }
  return problems;
}

/**
 * Objectives must be measurable: the nodes that start and stop the recovery clock exist in
 * the runbook graph (not inside a forEach body, where they would run once per item), the
 * clock starts upstream of where it stops, and every objective has a figure to compare with.
 */
export function checkObjectives(runbook: Pick<Runbook, 'nodes' | 'edges' | 'objectives'>): Problem[] {
  const objectives = runbook.objectives;
  if (!objectives) return [];
  const problems: Problem[] = [];
  const byId = new Map(runbook.nodes.map((n) => [n.id, n as { id: string; parent?: string | undefined }]));
  const graphNode = (field: 'recoveredAt' | 'recoveryStartsAt', id: string): boolean => {
    const node = byId.get(id);
    if (!node) problems.push({ path: `objectives.${field}`, message: `no node with id "${id}"` });
    else if (node.parent !== undefined) problems.push({ path: `objectives.${field}`, message: `"${id}" runs once per item inside "${node.parent}"; name a node of the runbook graph` });
    return node !== undefined && node.parent === undefined;
  };
  if (objectives.rtoSeconds === undefined && objectives.rpoSeconds === undefined) {
    problems.push({ path: 'objectives', message: 'no objective to measure: give rtoSeconds, rpoSeconds or both' });
  }
  const endKnown = graphNode('recoveredAt', objectives.recoveredAt);
  const start = objectives.recoveryStartsAt;
  if (start !== undefined && graphNode('recoveryStartsAt', start) && endKnown && start !== objectives.recoveredAt) {
    const ancestors = ancestorsOf(runbook.nodes.map((n) => n.id), runbook.edges).get(objectives.recoveredAt);
    if (!ancestors?.has(start)) {
      problems.push({
        path: 'objectives.recoveryStartsAt',
        message: `"${start}" is not upstream of recoveredAt "${objectives.recoveredAt}", so the recovery could end before its clock starts`,
      });
    }
  }
  if (objectives.rpoSeconds !== undefined && objectives.dataLossSeconds === undefined) {
    problems.push({ path: 'objectives.dataLossSeconds', message: 'rpoSeconds is set but nothing measures the data lost: give an expression over a step output' });
  }
  if (objectives.dataLossSeconds !== undefined) problems.push(...dataLossProblems(objectives.dataLossSeconds, byId));
  return problems;
}
