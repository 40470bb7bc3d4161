import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { ActionType } from '@runwright/runbook';
import { createActivities } from './activities/index.js';
import type { ActivityConfig } from './config/worker-config.js';
import { createWorkerMetrics, type WorkerMetrics } from './metrics/worker-metrics.js';

/** Where the interpreter workflow's code lives; the worker bundles it for the sandbox. */
export const workflowsPath = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));

/** Workflow interceptor modules; a pre-built bundle must include them (`bundleWorkflowCode`'s `workflowInterceptorModules`). */
export const workflowInterceptorModules = [fileURLToPath(new URL('./workflows/metrics-interceptors.ts', import.meta.url))];

export interface RunwrightWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** The action kinds this worker offers; all of them when left out. */
  kinds?: readonly ActionType[];
  /** A pre-built workflow bundle (tests build it once and share it). */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Secrets and outbound policy of the activities; read from the environment when left out. */
  activityConfig?: ActivityConfig;
  /** Whether this worker runs the interpreter workflow too, or only activities (a site worker). */
  workflows?: boolean;
  /** Where the workflow interceptors report runs finishing; a registry nobody serves when left out. */
  metrics?: WorkerMetrics;
  /** How long a stopping worker lets activities run, then waits for the cancelled ones (shutdown.ts); the SDK's defaults when left out. */
  shutdown?: { graceMs: number; forceMs: number };
}

export async function createWorker(options: RunwrightWorkerOptions): Promise<Worker> {
  const runsWorkflows = options.workflows ?? true;
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: createActivities(options.kinds, options.activityConfig),
    ...(runsWorkflows &&
      (options.workflowBundle
        ? { workflowBundle: options.workflowBundle }
        : { workflowsPath, interceptors: { workflowModules: workflowInterceptorModules } })),
    // Registered whether or not anyone serves them: the bundle's interceptors always call them.
    sinks: (options.metrics ?? createWorkerMetrics()).sinks,
    ...(options.shutdown && { shutdownGraceTime: options.shutdown.graceMs, shutdownForceTime: options.shutdown.forceMs }),
  });
}
