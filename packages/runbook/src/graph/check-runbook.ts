import type { Runbook } from '../document/runbook.js';
import { checkExpressions } from '../expressions/check-expressions.js';
import { checkTriggerTemplates } from '../expressions/check-trigger-templates.js';
import { checkCheckpoints } from './check-checkpoints.js';
import { checkEdgeLabels } from './check-edge-labels.js';
import { checkGraph } from './check-graph.js';
import { checkObjectives } from './check-objectives.js';
import { checkParameters } from './check-parameters.js';
import { checkReachability } from './check-reachability.js';
import { checkScopes } from './check-scopes.js';
import { checkSecrets } from './check-secrets.js';
import { checkSubRunbooks } from './check-sub-runbooks.js';
import type { Problem } from './problems.js';

/**
 * Every check a schema-valid runbook must pass before it may run. Reachability is judged only
 * on a sound graph: with duplicate ids, dangling edges or a cycle its answer would be noise.
 */
export function checkRunbook(runbook: Runbook): Problem[] {
  const structural = [...checkGraph(runbook), ...checkScopes(runbook)];
  return [
    ...checkParameters(runbook),
    ...structural,
    ...checkEdgeLabels(runbook),
    ...checkCheckpoints(runbook),
    ...checkSubRunbooks(runbook),
    ...checkSecrets(runbook),
    ...(structural.length === 0 ? checkReachability(runbook) : []),
    ...checkExpressions(runbook),
    ...checkTriggerTemplates(runbook),
    ...checkObjectives(runbook),
  ];
}
