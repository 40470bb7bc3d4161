import type { Router } from 'express';
import { routes } from '@runwright/runbook';
import { checkChain } from '../audit/audit-log.js';
import { bindRoute } from '../http/bind-route.js';
import type { AppContext } from '../app-context.js';

export function auditRoutes(router: Router, { audit }: AppContext): void {
  bindRoute(router, routes.listAudit, async ({ query }) => {
    const all = await audit.read();
    const chain = checkChain(all);
    const records = all
      .filter(
        (r) =>
          (query.action === undefined || r.action === query.action) &&
          (query.actor === undefined || r.actor.user === query.actor) &&
          (query.outcome === undefined || r.outcome === query.outcome) &&
          (query.since === undefined || Date.parse(r.at) >= Date.parse(query.since)) &&
          (query.until === undefined || Date.parse(r.at) < Date.parse(query.until)),
      )
      .reverse()
      .slice(0, query.limit);
    return { status: 200 as const, body: { records, chain } };
  });
}
