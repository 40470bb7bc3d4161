import { readFileSync } from 'node:fs';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { readSettings, temporalConnectionOptions } from '@runwright/runbook';
import { activityConfigFromSettings, workerKinds } from './config/worker-config.js';
import { createLogger } from './logger.js';
import { createWorker } from './worker.js';

const settings = readSettings(process.env);
const log = createLogger(settings, 'worker');
// The SDK's own log (bundler statistics, state changes) only speaks up for warnings unless debugging.
Runtime.install({ logger: new DefaultLogger(settings.RUNWRIGHT_LOG_LEVEL === 'debug' || settings.RUNWRIGHT_LOG_LEVEL === 'trace' ? 'DEBUG' : 'WARN') });

const kinds = workerKinds(settings);
const activityConfig = activityConfigFromSettings(settings);
const options = temporalConnectionOptions(settings, (path) => readFileSync(path));
const connection = await NativeConnection.connect(options);
const worker = await createWorker({
  connection,
  namespace: settings.TEMPORAL_NAMESPACE,
  taskQueue: settings.RUNWRIGHT_TASK_QUEUE,
  kinds,
  activityConfig,
});
log.info(
  { address: options.address, namespace: settings.TEMPORAL_NAMESPACE, taskQueue: settings.RUNWRIGHT_TASK_QUEUE, kinds, httpAllow: activityConfig.addresses.allow },
  `worker polling task queue "${settings.RUNWRIGHT_TASK_QUEUE}" on ${options.address}`,
);
try {
  // Worker.run() shuts down gracefully on SIGINT/SIGTERM and resolves once in-flight tasks finish.
  await worker.run();
} finally {
  await connection.close();
  log.info('worker stopped');
}
