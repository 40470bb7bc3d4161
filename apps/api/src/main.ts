import { readSettings } from '@runwright/runbook';
import { apiState } from './api-state.js';
import { createApp } from './app.js';
import { createLogger } from './logger.js';
import { syncSchedules } from './schedules/schedule-sync.js';
import { openStateStore } from './store/open-state-store.js';
import { connectTemporal, ensureSearchAttributes } from './temporal/connect.js';

const settings = readSettings(process.env);
const log = createLogger(settings, 'api');

// Tokens first: the bootstrap token is printed even while Temporal is still unreachable.
const store = await openStateStore(settings).catch((error: unknown) => {
  // A database that cannot be reached is said in one line (its host, never its password), not as a stack trace.
  process.stderr.write(`runwright api: ${(error as Error).message}\n`);
  process.exit(1);
});
const state = apiState(store, settings);
const { runbooks } = state;
const { created } = await state.tokens.bootstrap(settings.RUNWRIGHT_BOOTSTRAP_TOKEN);
if (created) {
  // Printed once, on the terminal only: the server keeps nothing but its hash.
  process.stdout.write(
    `\nRunwright: no API token existed, so an admin token was created. It is shown this once:\n\n    ${created}\n\n` +
      `Sign in to the editor with it, or use it as "Authorization: Bearer <token>". Create more with \`npx runwright token create\`.\n\n`,
  );
}
const temporal = await connectTemporal(settings);
await ensureSearchAttributes(temporal.connection, settings.TEMPORAL_NAMESPACE, log);
const context = { settings, log, temporal, ...state };
// Schedules follow the runbook files and the overrides: at start, then every 30 s (a file edited on disk or pulled from git).
const scheduleSyncMs = 30_000;
const keepSchedulesInStep = () =>
  syncSchedules(context).then(
    (report) => {
      if (report.created.length + report.updated.length + report.deleted.length + report.problems.length > 0) log.info({ schedules: report }, 'schedules synced');
    },
    (error: unknown) => log.error({ err: error }, 'schedule sync failed; retrying later'),
  );
await keepSchedulesInStep();
const scheduleTimer = setInterval(() => void keepSchedulesInStep(), scheduleSyncMs);
const app = createApp(context);

const port = Number(settings.RUNWRIGHT_API_PORT);
const server = app.listen(port, settings.RUNWRIGHT_API_HOST, (error?: Error) => {
  if (error) {
    // Said plainly rather than as a stack trace: the usual cause is another server on the port.
    log.fatal({ err: error }, `cannot listen on ${settings.RUNWRIGHT_API_HOST}:${port}: ${(error as NodeJS.ErrnoException).code ?? error.message}`);
    process.exit(1);
  }
  log.info(
    { runbooks: runbooks.location, temporal: temporal.address },
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
      void Promise.allSettled([temporal.connection.close(), store.close()]).finally(() => process.exit(0));
    });
    server.closeAllConnections();
    // A request stuck on an unanswering Temporal server must not hold the process open.
    setTimeout(() => process.exit(0), stopWithinMs);
  });
}
