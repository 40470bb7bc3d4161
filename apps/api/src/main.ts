import { resolve } from 'node:path';
import { readSettings } from '@runwright/runbook';
import { createApp } from './app.js';
import { openDataStores } from './data-stores.js';
import { createLogger } from './logger.js';
import { RunbookStore } from './runbooks/runbook-store.js';
import { syncSchedules } from './schedules/schedule-sync.js';
import { connectTemporal, ensureSearchAttributes } from './temporal/connect.js';

const settings = readSettings(process.env);
const log = createLogger(settings, 'api');

// Tokens first: the bootstrap token is printed even while Temporal is still unreachable.
const stores = openDataStores(settings);
const { tokens } = stores;
const { created } = tokens.bootstrap(settings.RUNWRIGHT_BOOTSTRAP_TOKEN);
if (created) {
  // Printed once, on the terminal only: the server keeps nothing but its hash.
  process.stdout.write(
    `\nRunwright: no API token existed, so an admin token was created. It is shown this once:\n\n    ${created}\n\n` +
      `Sign in to the editor with it, or use it as "Authorization: Bearer <token>". Create more with \`npx runwright token create\`.\n\n`,
  );
}
const temporal = await connectTemporal(settings);
await ensureSearchAttributes(temporal.connection, settings.TEMPORAL_NAMESPACE, log);
const runbooks = new RunbookStore(resolve(settings.RUNWRIGHT_RUNBOOKS_DIR));
// Schedules follow the runbook files: at start, then every 30 s (a file edited on disk or pulled from git).
const scheduleSyncMs = 30_000;
const keepSchedulesInStep = () =>
  syncSchedules(temporal.client, settings, runbooks).then(
    (report) => {
      if (report.created.length + report.updated.length + report.deleted.length + report.problems.length > 0) log.info({ schedules: report }, 'schedules synced');
    },
    (error: unknown) => log.error({ err: error }, 'schedule sync failed; retrying later'),
  );
await keepSchedulesInStep();
const scheduleTimer = setInterval(() => void keepSchedulesInStep(), scheduleSyncMs);
const app = createApp({ settings, log, runbooks, temporal, ...stores });

const port = Number(settings.RUNWRIGHT_API_PORT);
const server = app.listen(port, settings.RUNWRIGHT_API_HOST, (error?: Error) => {
  if (error) {
    // Said plainly rather than as a stack trace: the usual cause is another server on the port.
    log.fatal({ err: error }, `cannot listen on ${settings.RUNWRIGHT_API_HOST}:${port}: ${(error as NodeJS.ErrnoException).code ?? error.message}`);
    process.exit(1);
  }
  log.info(
    { runbooks: runbooks.folder, temporal: temporal.address },
    `API and editor listening on http://${settings.RUNWRIGHT_API_HOST}:${port}`,
  );
});

const stopWithinMs = 3_000;
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    clearInterval(scheduleTimer);
    log.info({ signal }, 'API stopping');
    server.close(() => {
      void temporal.connection.close().finally(() => process.exit(0));
    });
    server.closeAllConnections();
    // A request stuck on an unanswering Temporal server must not hold the process open.
    setTimeout(() => process.exit(0), stopWithinMs);
  });
}
