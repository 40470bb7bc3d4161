import type { Router } from 'express';
import { openApiDocument, routes } from '@runwright/runbook';
import { bindRoute } from '../http/bind-route.js';
import type { Metrics } from '../metrics.js';

export function metaRoutes(router: Router, metrics: Metrics): void {
  const document = openApiDocument(routes, { title: 'Runwright API', version: '0.1.0' });
  bindRoute(router, routes.openApi, async () => ({ status: 200 as const, body: document }));
  bindRoute(router, routes.metrics, async () => ({ status: 200 as const, body: await metrics.registry.metrics() }));
}
