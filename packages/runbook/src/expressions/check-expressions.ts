import jsonata from 'jsonata';
import type { Runbook, RunbookNode } from '../document/runbook.js';
import { upstreamOf } from '../graph/ancestors.js';
import type { Problem } from '../graph/problems.js';
import { codeConfigFields, nodeExpressions, valuesViaOf, type NodeExpression } from './node-expressions.js';
import { expressionRootsIn, parameterReferencesIn, stepReferencesIn } from './step-references.js';

function shown(expression: NodeExpression): string {
  return expression.role === 'template' ? `expression {{ ${expression.source} }}` : `condition ${expression.source}`;
}

interface Where {
  node: RunbookNode;
  index: number;
  ids: Set<string>;
  upstream: Map<string, Set<string>>;
  parameters: Runbook['parameters'] | undefined;
}

/** Problems with how an expression is written, before its content: spliced into code, or wrapped where it must be bare. */
function placementProblem(expression: NodeExpression, { node, index }: Where): string | undefined {
  const codeField = (codeConfigFields[node.kind] ?? []).find((field) => {
    const at = `nodes.${index}.config.${field}`;
    return expression.path === at || expression.path.startsWith(`${at}.`);
  });
  if (codeField && expression.role === 'template') {
    return `${shown(expression)} would be spliced into ${codeField} as code; pass the value through ${valuesViaOf(node.kind, codeField)}`;
  }
  if (expression.role === 'condition' && /^\{\{[\s\S]*\}\}$/.test(expression.source)) {
    return `${shown(expression)} is a whole expression: write it without {{ }}`;
  }
  return undefined;
}

/** What a parsed expression reads that will not be there when it is evaluated. */
function readingProblems(ast: unknown, expression: NodeExpression, { node, index, ids, upstream, parameters }: Where): string[] {
  const found: string[] = [];
  const inBody = (node as { parent?: string }).parent !== undefined;
  const itemBound = inBody || (node.kind === 'forEach' && expression.path === `nodes.${index}.config.key`);
  if (!itemBound && expressionRootsIn(ast).has('item')) {
    found.push(`${shown(expression)} reads item, but "${node.id}" is not inside a forEach, so there is no item`);
  }
  for (const { id: name } of parameters ? parameterReferencesIn(ast) : []) {
    if (!Object.hasOwn(parameters!, name)) {
      const declared = Object.keys(parameters!).join(', ') || 'none';
      found.push(`${shown(expression)} reads params.${name}, but the runbook declares no parameter "${name}" (declared: ${declared})`);
    }
  }
  for (const { id } of stepReferencesIn(ast)) {
    if (!ids.has(id)) {
      found.push(`${shown(expression)} reads steps.${id}, but there is no node "${id}"`);
    } else if (id === node.id) {
      // A rollback runs after its node completed, so it may read the node's own output.
      if (!expression.path.startsWith(`nodes.${index}.rollback`)) found.push(`${shown(expression)} reads the output of its own node "${node.id}"`);
    } else if (!upstream.get(node.id)?.has(id)) {
      found.push(`${shown(expression)} reads steps.${id}, but "${id}" is not upstream of "${node.id}" (add an edge path from it, or its output may not exist yet)`);
    }
  }
  return found;
}

/**
 * Every expression must parse and may read only declared parameters (a misspelt name would
 * silently be empty). It may read `steps.<id>` only for a node that exists and is upstream of
 * the node using it: any other node may not have run yet (or at all) when the expression is
 * evaluated, so its output would silently be missing. Values never reach code as text.
 */
export function checkExpressions(runbook: Pick<Runbook, 'nodes' | 'edges'> & Partial<Pick<Runbook, 'parameters'>>): Problem[] {
  const problems: Problem[] = [];
  const ids = new Set(runbook.nodes.map((n) => n.id));
  const upstream = upstreamOf(runbook.nodes as { id: string; parent?: string }[], runbook.edges);
  runbook.nodes.forEach((node, index) => {
    const where: Where = { node, index, ids, upstream, parameters: runbook.parameters };
    for (const expression of nodeExpressions(node as unknown as Record<string, unknown>, `nodes.${index}`)) {
      const misplaced = placementProblem(expression, where);
      if (misplaced) {
        problems.push({ path: expression.path, message: misplaced });
        continue;
      }
      let ast: unknown;
      try {
        ast = jsonata(expression.source).ast();
      } catch (error) {
        const message = (error as { message?: string }).message ?? String(error);
        problems.push({ path: expression.path, message: `${shown(expression)} does not parse: ${message}` });
        continue;
      }
      for (const message of readingProblems(ast, expression, where)) problems.push({ path: expression.path, message });
    }
  });
  return problems;
}
