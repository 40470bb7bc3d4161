import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import express from 'express';
import { useEvaluationClock } from '@runwright/runbook';
import type { AppContext } from './app-context.js';
import { authenticate } from './auth/identity.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { keepRawBody } from './http/raw-body.js';
import { applySecurity } from './http/security.js';
import { trustProxySetting } from './http/trust-proxy.js';
import { createMetrics } from './metrics.js';
import { alertmanagerRoutes } from './routes/alertmanager.js';
import { auditRoutes } from './routes/audit.js';
import { checkpointInboxRoutes } from './routes/checkpoint-inbox.js';
import { checkpointRoutes } from './routes/checkpoints.js';
import { metaRoutes } from './routes/meta.js';
import { healthRoutes } from './routes/health.js';
import { runbookEditRoutes } from './routes/runbook-edit.js';
import { runbookRoutes } from './routes/runbooks.js';
import { runControlRoutes } from './routes/run-control.js';
import { runRoutes } from './routes/runs.js';
import { runRunbookRoutes } from './routes/run-runbook.js';
import { runStreamRoutes } from './routes/run-stream.js';
import { scheduleRoutes } from './routes/schedules.js';
import { scheduleOverrideRoutes } from './routes/schedule-overrides.js';
import { reportRoutes } from './routes/reports.js';
import { tokenRoutes } from './routes/tokens.js';
import { webhookRoutes } from './routes/webhooks.js';
import { TemporalHealth } from './temporal/temporal-health.js';

const bodyLimit = '1mb';

export function createApp(context: AppContext): express.Express {
  // Templates the API evaluates (plan previews, alert and webhook routes, drill reports) get a
  // time limit and hand the event loop back while they run, so no template stalls the API.
  useEvaluationClock({ now: () => performance.now(), pause: () => nextTurn() });
  const app = express();
  app.disable('x-powered-by');
  // Decides what `request.ip` is, which the audit log and the failed-auth limit stand on.
  app.set('trust proxy', trustProxySetting(context.settings.RUNWRIGHT_TRUST_PROXY));
  app.locals.audit = context.audit;
  applySecurity(app, context.settings);
  app.use(express.json({ limit: bodyLimit, verify: keepRawBody }));
  app.use('/api', authenticate(context.tokens));
  const health = new TemporalHealth(context.temporal.connection, context.temporal.address);
  app.use('/api', (_request, _response, next) => void health.guard(() => next()));

  const api = express.Router();
  const metrics = createMetrics();
  healthRoutes(api, context, health);
  runbookEditRoutes(api, context);
  runbookRoutes(api, context);
  runRoutes(api, context, metrics);
  runControlRoutes(api, context);
  runRunbookRoutes(api, context);
  runStreamRoutes(api, context, metrics);
  checkpointRoutes(api, context, metrics);
  checkpointInboxRoutes(api, context);
  tokenRoutes(api, context);
  auditRoutes(api, context);
  alertmanagerRoutes(api, context, metrics);
  webhookRoutes(api, context, metrics);
  metaRoutes(api, metrics);
  scheduleRoutes(api, context);
  scheduleOverrideRoutes(api, context);
  reportRoutes(api, context);
  app.use(api);
  app.use('/api', notFoundHandler);

  // The built editor: static files, and index.html for the single-page app's own routes.
  const editorDir = resolve(context.settings.RUNWRIGHT_EDITOR_DIR);
  if (existsSync(editorDir)) {
    app.use(express.static(editorDir, { index: 'index.html' }));
    app.get(/^\/(?!api\/|healthz).*/, (_request, response) => response.sendFile(resolve(editorDir, 'index.html')));
  } else {
    context.log.warn({ editorDir }, 'editor not built; run `npm run build` to serve it');
  }
  app.use(notFoundHandler);
  app.use(errorHandler(context.log, health));
  return app;
}
