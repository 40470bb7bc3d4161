import { isRunbookId, type Problem, type Runbook, type RunInput } from '@runwright/runbook';
import { ApiError } from '../http/api-error.js';
import type { RunbookStore } from './runbook-store.js';

export type SubRunbooks = NonNullable<RunInput['subRunbooks']>;

function refused(message: string, details: Problem[]): ApiError {
  return new ApiError(422, 'invalid_runbook', message, details);
}

/**
 * The definitions of every runbook a run may start as a child, however deep, read once when the
 * run starts: the run is pinned to them as it is to its own version, and the workflow never
 * reads files. A missing or invalid child, or a chain that comes back to a runbook already on it
 * (which would start child runs without end), refuses the start with the path that names it.
 */
export async function resolveSubRunbooks(store: RunbookStore, runbook: Runbook): Promise<SubRunbooks | undefined> {
  const resolved: SubRunbooks = {};
  const visit = async (parent: Runbook, chain: readonly string[]): Promise<void> => {
    for (const [index, node] of parent.nodes.entries()) {
      if (node.kind !== 'subRunbook') continue;
      const id = (node.config as { runbook: string }).runbook;
      const path = `${parent.id === runbook.id ? '' : `${parent.id}: `}nodes.${index}.config.runbook`;
      if (chain.includes(id)) {
        const loop = [...chain.slice(chain.indexOf(id)), id].join(' → ');
        throw refused(`sub-runbooks start each other without end: ${loop}`, [{ path, message: `"${node.id}" closes the loop ${loop}` }]);
      }
      // Refused at load time already (the node's schema); checked again here, before the store is asked.
      if (!isRunbookId(id)) throw refused(`"${node.id}" starts "${id}", which is not a runbook id`, [{ path, message: 'a runbook id (lower-case letters, digits and -), not a path or file name' }]);
      // Finished depth-first already: any loop through it would have been found then.
      if (resolved[id]) continue;
      const child = await store.getValid(id).catch((error: unknown) => {
        if (!(error instanceof ApiError)) throw error;
        if (error.status === 404) throw refused(`"${node.id}" starts runbook "${id}", which does not exist`, [{ path, message: `no runbook "${id}"` }]);
        throw refused(`"${node.id}" starts runbook "${id}", which has problems`, error.details.map((p) => ({ path: `${id}: ${p.path}`, message: p.message })));
      });
      resolved[id] = { runbook: child.runbook, planHash: child.planHash };
      await visit(child.runbook, [...chain, id]);
    }
  };
  await visit(runbook, [runbook.id]);
  return Object.keys(resolved).length > 0 ? resolved : undefined;
}
