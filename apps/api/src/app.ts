import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import express from 'express';
import type { AppContext } from './app-context.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { checkpointRoutes } from './routes/checkpoints.js';
import { healthRoutes } from './routes/health.js';
import { runbookRoutes } from './routes/runbooks.js';
import { runRoutes } from './routes/runs.js';

const bodyLimit = '1mb';

export function createApp(context: AppContext): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: bodyLimit }));

  const api = express.Router();
  healthRoutes(api, context);
  runbookRoutes(api, context);
  runRoutes(api, context);
  checkpointRoutes(api, context);
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
  app.use(errorHandler(context.log));
  return app;
}
