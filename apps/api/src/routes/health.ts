import type { Router } from 'express';
import { routes } from '@runwright/runbook';
import { bindRoute } from '../http/bind-route.js';
import type { AppContext } from '../app-context.js';

export function healthRoutes(router: Router, { temporal }: AppContext): void {
  bindRoute(router, routes.health, async () => {
    let reachable = true;
    try {
      await temporal.connection.healthService.check({}, );
    } catch {
      reachable = false;
    }
    const body = {
      status: reachable ? ('ok' as const) : ('degraded' as const),
      temporal: { address: temporal.address, namespace: temporal.client.options.namespace, reachable },
    };
    return reachable ? { status: 200 as const, body } : { status: 503 as const, body };
  });
}
