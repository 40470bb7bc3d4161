import type { Router } from 'express';
import { routes } from '@runwright/runbook';
import { bindRoute } from '../http/bind-route.js';
import { summarise } from '../runbooks/runbook-store.js';
import type { AppContext } from '../app-context.js';

export function runbookRoutes(router: Router, { runbooks }: AppContext): void {
  bindRoute(router, routes.listRunbooks, async () => ({
    status: 200 as const,
    body: { runbooks: (await runbooks.list()).map(summarise) },
  }));

  bindRoute(router, routes.getRunbook, async ({ params }) => {
    const { runbook, planHash, source } = await runbooks.getValid(params.runbookId);
    return { status: 200 as const, body: { runbook, planHash, source } };
  });
}
