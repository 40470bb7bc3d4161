import cors from 'cors';
import type { Express } from 'express';
import helmet from 'helmet';
import type { Settings } from '@runwright/runbook';
import { failedAuthLimit } from './failed-auth-limit.js';

/**
 * Security headers on every answer; CORS only for the origins configured (closed by default,
 * since the editor is served from the API's own origin); and a per-address budget of failed
 * authentications — once spent, every request from that address gets 429 until the window
 * passes, so a valid token cannot be told apart by its answer during a guessing run.
 */
export function applySecurity(app: Express, settings: Settings): void {
  app.use(
    helmet({
      contentSecurityPolicy: {
        // React Flow positions nodes with inline styles.
        directives: {
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:'],
          // The API speaks plain HTTP (TLS, if any, ends at a proxy): upgrading would break the editor on a LAN address.
          'upgrade-insecure-requests': null,
        },
      },
      // Sent by the TLS-terminating proxy when there is one; over plain HTTP it means nothing.
      strictTransportSecurity: false,
    }),
  );
  const origins = settings.RUNWRIGHT_CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean);
  if (origins.length > 0) {
    app.use('/api', cors({ origin: origins, allowedHeaders: ['authorization', 'content-type'], maxAge: 600 }));
  }
  app.use('/api', failedAuthLimit(Number(settings.RUNWRIGHT_AUTH_FAILURE_LIMIT)));
}
