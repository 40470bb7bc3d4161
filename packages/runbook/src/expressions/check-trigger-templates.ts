import jsonata from 'jsonata';
import type { Runbook } from '../document/runbook.js';
import type { Problem } from '../graph/problems.js';
import { expressionRootsIn } from './step-references.js';
import { templateExpressions } from './template.js';

type Routes = { alerts?: { params?: Record<string, unknown> }[]; webhooks?: { params?: Record<string, unknown> }[] };

/**
 * A trigger's parameter templates run before the run exists: they must parse, and may read
 * only the event (`alert`); there are no params, steps or items yet.
 */
export function checkTriggerTemplates(runbook: Pick<Runbook, 'nodes'> & { triggers?: unknown }): Problem[] {
  const problems: Problem[] = [];
  const routes = (runbook.triggers ?? {}) as Routes;
  for (const group of ['alerts', 'webhooks'] as const) {
    (routes[group] ?? []).forEach((route, i) => {
      for (const [name, value] of Object.entries(route.params ?? {})) {
        if (typeof value !== 'string') continue;
        const path = `triggers.${group}.${i}.params.${name}`;
        for (const source of templateExpressions(value)) {
          let ast: unknown;
          try {
            ast = jsonata(source).ast();
          } catch (error) {
            problems.push({ path, message: `expression {{ ${source} }} does not parse: ${(error as Error).message}` });
            continue;
          }
          const early = [...expressionRootsIn(ast)].filter((root) => ['params', 'steps', 'item', 'run'].includes(root));
          if (early.length > 0) problems.push({ path, message: `expression {{ ${source} }} reads ${early.join(', ')}, which do not exist before the run starts; a trigger can read only alert` });
        }
      }
    });
  }
  return problems;
}
