import { expect } from 'vitest';
import type { RunView } from '@runwright/runbook';
import type { RoleTokens } from './api-server.js';
import type { ApiServer } from './api-stack.js';

/**
 * Reads `GET /api/runs/:runId` (as `as`, admin by default) every 100 ms until `until` holds, and
 * returns that view. Views without a state yet (the run's first workflow task has not run) are
 * skipped; with `strict`, every answer must be 200. Gives up after a minute, naming the run.
 */
export async function pollRun(
  api: ApiServer,
  runId: string,
  until: (run: RunView) => boolean,
  options: { as?: keyof RoleTokens; strict?: boolean } = {},
): Promise<RunView> {
  for (let i = 0; i < 600; i++) {
    const { status, body } = await api.call('GET', `/api/runs/${runId}`, undefined, api.tokens[options.as ?? 'admin']);
    if (options.strict) expect(status).toBe(200);
    if (body.state && until(body)) return body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`run ${runId} never reached the expected state`);
}
