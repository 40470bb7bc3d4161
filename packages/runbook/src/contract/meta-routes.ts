import { z } from 'zod';
import { defineRoute } from './define-route.js';

export const metaRoutes = {
  openApi: defineRoute({
    method: 'GET',
    path: '/api/openapi.json',
    access: 'public',
    summary: 'This OpenAPI document, generated from the route contracts',
    responses: { 200: z.record(z.string(), z.unknown()) },
  }),
  metrics: defineRoute({
    method: 'GET',
    path: '/metrics',
    access: 'public',
    summary: 'Prometheus metrics: runs started, checkpoint wait time, alert decisions and suppressions, webhook handling latency, run stream pollers (runs finished are counted by the workers, on their own /metrics)',
    contentType: 'text/plain; version=0.0.4',
    responses: { 200: z.string() },
  }),
} as const;
