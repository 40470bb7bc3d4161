import { roleSchema, rolesFor } from '../contract/access.js';
import type { Runbook } from '../document/runbook.js';
import type { Problem } from './problems.js';

interface CheckpointConfig {
  approvers: { roles: string[]; users: string[] };
  quorum: number;
  checklist: { id: string }[];
  timeout?: string;
  onTimeout?: string;
  escalate?: unknown;
}

/** Every checkpoint a node holds: a checkpoint node's own, and a forEach's canary and per-batch sign-offs. */
function checkpointsOf(node: Runbook['nodes'][number], index: number): { path: string; config: CheckpointConfig }[] {
  if (node.kind === 'checkpoint') return [{ path: `nodes.${index}.config`, config: node.config as CheckpointConfig }];
  const gates = node.config as { canary?: { checkpoint?: CheckpointConfig }; afterEachBatch?: { checkpoint?: CheckpointConfig } };
  return (['canary', 'afterEachBatch'] as const).flatMap((part) => {
    const config = gates[part]?.checkpoint;
    return config ? [{ path: `nodes.${index}.config.${part}.checkpoint`, config }] : [];
  });
}

/**
 * A checkpoint must be decidable: someone may decide it, enough named people exist for its
 * quorum, its checklist items are told apart, and an escalation has a timeout to fire on and
 * an action to run. Otherwise the run would wait for ever at it.
 */
export function checkCheckpoints(runbook: Pick<Runbook, 'nodes'>): Problem[] {
  const problems: Problem[] = [];
  runbook.nodes.forEach((node, i) => {
    for (const { path, config } of checkpointsOf(node, i)) {
      const { roles, users } = config.approvers;
      if (roles.length === 0 && users.length === 0) {
        problems.push({ path: `${path}.approvers`, message: 'no one may decide: give at least one role or user' });
      }
      roles.forEach((role, j) => {
        if (!roleSchema.safeParse(role).success) {
          problems.push({ path: `${path}.approvers.roles.${j}`, message: `no API token can hold the role "${role}"; roles are ${roleSchema.options.join(', ')}` });
        }
      });
      const deciding = roles.filter((role) => (rolesFor.decide as readonly string[]).includes(role));
      if (users.length === 0 && roles.length > 0 && deciding.length === 0) {
        problems.push({
          path: `${path}.approvers.roles`,
          message: `no one may decide: deciding a checkpoint takes the role ${rolesFor.decide.join(' or ')}, and none of ${roles.join(', ')} is one`,
        });
      }
      if (users.length > 0 && roles.length === 0 && config.quorum > users.length) {
        problems.push({ path: `${path}.quorum`, message: `quorum ${config.quorum} exceeds the ${users.length} named approvers` });
      }
      const seen = new Map<string, number>();
      config.checklist.forEach((item, j) => {
        if (seen.has(item.id)) problems.push({ path: `${path}.checklist.${j}.id`, message: `checklist item "${item.id}" is already checklist.${seen.get(item.id)}` });
        else seen.set(item.id, j);
      });
      if (config.onTimeout === 'escalate' && config.escalate === undefined) {
        problems.push({ path: `${path}.escalate`, message: 'onTimeout is escalate: say which action escalates (for example an http call to the pager)' });
      }
      if (config.onTimeout !== undefined && config.onTimeout !== 'fail' && config.timeout === undefined) {
        problems.push({ path: `${path}.timeout`, message: `onTimeout is ${config.onTimeout}, but without a timeout the checkpoint waits for ever` });
      }
    }
  });
  return problems;
}
