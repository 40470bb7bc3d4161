import type { Runbook } from '../document/runbook.js';
import type { Problem } from '../graph/problems.js';
import { parseExpression, templateExpressions } from './template.js';

function visitStrings(value: unknown, path: string, visit: (text: string, path: string) => void): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => visitStrings(v, `${path}.${i}`, visit));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) visitStrings(v, `${path}.${k}`, visit);
  }
}

/** Every `{{ … }}` in every node's config must parse. */
export function checkTemplates(runbook: Runbook): Problem[] {
  const problems: Problem[] = [];
  runbook.nodes.forEach((node, i) => {
    visitStrings(node.config, `nodes.${i}.config`, (text, path) => {
      for (const source of templateExpressions(text)) {
        const parsed = parseExpression(source);
        if (!parsed.ok) problems.push({ path, message: `expression {{ ${source} }} does not parse: ${parsed.message}` });
      }
    });
  });
  return problems;
}
