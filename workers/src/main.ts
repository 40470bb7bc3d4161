import { readFileSync } from 'node:fs';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { readSettings, temporalConnectionOptions } from '@runwright/runbook';
import { activityConfigFromSettings, workerKinds } from './config/worker-config.js';
import { createLogger } from './logger.js';
import { serveMetrics } from './metrics/metrics-server.js';
import { createWorkerMetrics } from './metrics/worker-metrics.js';
import { shutdownTimes, stopOnSignals } from './shutdown.js';
import { createWorker } from './worker.js';

const settings = readSettings(process.env);
const log = createLogger(settings, 'worker');
const times = shutdownTimes(Number(settings.RUNWRIGHT_WORKER_SHUTDOWN_SECONDS));
// The SDK's own log (bundler statistics, state changes) only speaks up for warnings unless debugging.
// Signals are ours to handle (see shutdown.ts), not the SDK's.
Runtime.install({
  logger: new DefaultLogger(settings.RUNWRIGHT_LOG_LEVEL === 'debug' || settings.RUNWRIGHT_LOG_LEVEL === 'trace' ? 'DEBUG' : 'WARN'),
  shutdownSignals: [],
});
let worker: Worker | undefined;
stopOnSignals(log, times, () => worker);

const kinds = workerKinds(settings);
const activityConfig = activityConfigFromSettings(settings);
const options = temporalConnectionOptions(settings, (path) => readFileSync(path));
const connection = await NativeConnection.connect(options);
const metrics = createWorkerMetrics();
worker = await createWorker({
  connection,
  namespace: settings.TEMPORAL_NAMESPACE,
  taskQueue: settings.RUNWRIGHT_TASK_QUEUE,
  kinds,
  activityConfig,
  metrics,
  shutdown: times,
});
const metricsServer = settings.RUNWRIGHT_WORKER_METRICS_PORT
  ? await serveMetrics(metrics.registry, settings.RUNWRIGHT_WORKER_METRICS_HOST, Number(settings.RUNWRIGHT_WORKER_METRICS_PORT))
  : undefined;
if (metricsServer) log.info({ metrics: metricsServer.address() }, 'worker metrics served at /metrics');
log.info(
  { address: options.address, namespace: settings.TEMPORAL_NAMESPACE, taskQueue: settings.RUNWRIGHT_TASK_QUEUE, kinds, outboundAllow: activityConfig.addresses.allow },
  `worker polling task queue "${settings.RUNWRIGHT_TASK_QUEUE}" on ${options.address}`,
);
try {
  // Resolves once shutdown (shutdown.ts) has let in-flight tasks finish or cancelled them.
  await worker.run();
} finally {
  metricsServer?.close();
  await connection.close();
  log.info('worker stopped');
}
// The shutdown timers would otherwise hold the process open until they fire.
process.exit(0);
