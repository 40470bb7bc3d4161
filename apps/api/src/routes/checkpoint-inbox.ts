import type { Router } from 'express';
import type { Client } from '@temporalio/client';
import { routes, runProtocol, type InboxEntry, type RunState } from '@runwright/runbook';
import { bindRoute } from '../http/bind-route.js';
import { listRuns } from '../temporal/run-visibility.js';
import type { AppContext } from '../app-context.js';

/** A run whose worker is down must not stall the inbox for every other run. */
const queryDeadlineMs = 3_000;
const parallelQueries = 8;
const maxRuns = 500;

async function pendingOf(client: Client, runId: string): Promise<InboxEntry[]> {
  const handle = client.workflow.getHandle(runId);
  const state = await client.connection.withDeadline(Date.now() + queryDeadlineMs, () => handle.query<RunState>(runProtocol.queries.state));
  return state.pendingCheckpoints.map((pending) => ({
    ...pending,
    runId,
    runbookId: state.runbookId,
    planHash: state.planHash,
    startedBy: state.startedBy,
  }));
}

export function checkpointInboxRoutes(router: Router, { temporal }: AppContext): void {
  bindRoute(router, routes.listCheckpoints, async ({ query }) => {
    const running = await listRuns(temporal.client, { status: 'Running', runbookId: query.runbookId }, maxRuns);
    const checkpoints: InboxEntry[] = [];
    const unreachableRuns: string[] = [];
    for (let i = 0; i < running.length; i += parallelQueries) {
      const batch = running.slice(i, i + parallelQueries);
      const results = await Promise.allSettled(batch.map((run) => pendingOf(temporal.client, run.runId)));
      results.forEach((result, index) => {
        if (result.status === 'fulfilled') checkpoints.push(...result.value);
        else unreachableRuns.push(batch[index]!.runId);
      });
    }
    // Oldest wait first: that is the one to look at.
    checkpoints.sort((a, b) => (a.since < b.since ? -1 : a.since > b.since ? 1 : 0));
    return { status: 200 as const, body: { checkpoints, unreachableRuns } };
  });
}
