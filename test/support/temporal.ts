import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import type { ActionType } from '@runwright/runbook';
import { createWorker } from '../../workers/src/worker.js';
import { AddressPolicy } from '../../workers/src/config/address-policy.js';
import type { ActivityConfig } from '../../workers/src/config/worker-config.js';
import { envSecretSource } from '../../workers/src/secrets/env-secret-source.js';
import type { WorkerMetrics } from '../../workers/src/metrics/worker-metrics.js';

/** Tests drive servers on loopback, so their workers allow it (the shipped default refuses it). */
export const testActivityConfig: ActivityConfig = { secrets: envSecretSource({}), addresses: new AddressPolicy(['127.0.0.0/8', '::1/128']) };

let runtimeInstalled = false;
function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // Already installed in this process.
  }
}

/** A client and connections to the dev server the global setup started. */
export async function connectToTestServer(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  return TestWorkflowEnvironment.createFromExistingServer({ address: inject('temporalAddress') });
}

export interface RunningWorker {
  taskQueue: string;
  worker: Worker;
  stop(): Promise<void>;
}

/** A real Runwright worker on its own task queue, polling until `stop()`. */
export async function startTestWorker(
  env: TestWorkflowEnvironment,
  options: { taskQueue?: string; kinds?: readonly ActionType[]; workflows?: boolean; activityConfig?: ActivityConfig; metrics?: WorkerMetrics } = {},
): Promise<RunningWorker> {
  const taskQueue = options.taskQueue ?? `test-${randomUUID()}`;
  const worker = await createWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    ...(options.kinds && { kinds: options.kinds }),
    ...(options.workflows !== undefined && { workflows: options.workflows }),
    activityConfig: options.activityConfig ?? testActivityConfig,
    ...(options.metrics && { metrics: options.metrics }),
    workflowBundle: { codePath: inject('workflowBundlePath') },
  });
  const running = worker.run();
  return {
    taskQueue,
    worker,
    stop: async () => {
      worker.shutdown();
      await running;
    },
  };
}
