import { resolve } from 'node:path';
import { readSettings } from '@runwright/runbook';
import { createApp } from './app.js';
import { createLogger } from './logger.js';
import { RunbookStore } from './runbooks/runbook-store.js';
import { connectTemporal, ensureSearchAttributes } from './temporal/connect.js';

const settings = readSettings(process.env);
const log = createLogger(settings, 'api');

const temporal = await connectTemporal(settings);
await ensureSearchAttributes(temporal.connection, settings.TEMPORAL_NAMESPACE, log);
const runbooks = new RunbookStore(resolve(settings.RUNWRIGHT_RUNBOOKS_DIR));
const app = createApp({ settings, log, runbooks, temporal });

const port = Number(settings.RUNWRIGHT_API_PORT);
const server = app.listen(port, settings.RUNWRIGHT_API_HOST, () => {
  log.info(
    { runbooks: runbooks.folder, temporal: temporal.address },
    `API and editor listening on http://${settings.RUNWRIGHT_API_HOST}:${port}`,
  );
});

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'API stopping');
    server.close(() => {
      void temporal.connection.close().finally(() => process.exit(0));
    });
    server.closeAllConnections();
  });
}
