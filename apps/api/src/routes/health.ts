import type { Router } from 'express';
import { routes } from '@runwright/runbook';
import { bindRoute } from '../http/bind-route.js';
import type { AppContext } from '../app-context.js';
import type { TemporalHealth } from '../temporal/temporal-health.js';

export function healthRoutes(router: Router, { temporal }: AppContext, health: TemporalHealth): void {
  bindRoute(router, routes.health, async () => {
    const reachable = await health.probe();
    const body = {
      status: reachable ? ('ok' as const) : ('degraded' as const),
      temporal: { address: temporal.address, namespace: temporal.client.options.namespace, reachable },
    };
    return reachable ? { status: 200 as const, body } : { status: 503 as const, body };
  });
}
