import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startApiServer } from './api-server.js';
import { temporaryRunbooks, type TemporaryRunbooks } from './runbooks-folder.js';
import { runbooksFolder } from './runbooks.js';
import { terminateRunning } from './running-workflows.js';
import { connectToTestServer, startTestWorker, type RunningWorker } from './temporal.js';

export type ApiServer = Awaited<ReturnType<typeof startApiServer>>;

export interface ApiStackOptions {
  /**
   * A temporary runbooks folder (see `temporaryRunbooks`; `{}` for an empty one); without it the
   * API serves the shipped `runbooks/`, which tests must then only read.
   */
  runbooks?: Parameters<typeof temporaryRunbooks>[0];
  /**
   * Options for the test worker, or `false` for none: runs then wait on `taskQueue`, which
   * nothing polls (for tests about pages or schedules, not about runs).
   */
  worker?: false | Omit<NonNullable<Parameters<typeof startTestWorker>[1]>, 'taskQueue'>;
  /** The API's (and worker's) task queue; a fresh one when not given. */
  taskQueue?: string;
  /** Extra API settings (environment variable → value). */
  settings?: Record<string, string>;
}

export interface ApiStack {
  env: TestWorkflowEnvironment;
  /** Absent when started with `worker: false`. */
  worker: RunningWorker | undefined;
  api: ApiServer;
  /** Absent when the API serves the shipped runbooks. */
  runbooks: TemporaryRunbooks | undefined;
  /** The folder the API serves runbooks from: the temporary one, or the shipped `runbooks/`. */
  folder: string;
  taskQueue: string;
  /** Terminates the runs still open on the task queue, then stops what was started, in reverse order. */
  stop(): Promise<void>;
}

/**
 * The parts most API and editor tests stand on: a client of the test Temporal server, a worker
 * on a fresh task queue, and the real API on loopback. If a part fails to start, the parts
 * already started are stopped before the error is thrown, so a failed `beforeAll` leaks nothing.
 */
export async function startApiStack(options: ApiStackOptions = {}): Promise<ApiStack> {
  const stops: (() => unknown)[] = [];
  const stopAll = async () => {
    for (const step of stops.reverse()) await step();
    stops.length = 0;
  };
  try {
    const env = await connectToTestServer();
    stops.push(() => env.teardown());
    const runbooks = options.runbooks && temporaryRunbooks(options.runbooks);
    if (runbooks) stops.push(() => runbooks.remove());
    const taskQueue = options.taskQueue ?? `test-${randomUUID()}`;
    const worker = options.worker === false ? undefined : await startTestWorker(env, { ...options.worker, taskQueue });
    if (worker) stops.push(() => worker.stop());
    const api = await startApiServer(env, {
      taskQueue,
      ...(runbooks && { runbooks: runbooks.folder }),
      ...(options.settings && { settings: options.settings }),
    });
    stops.push(() => api.close());
    const stop = async () => {
      try {
        await terminateRunning(env, taskQueue);
      } finally {
        await stopAll();
      }
    };
    return { env, worker, api, runbooks, folder: runbooks?.folder ?? runbooksFolder, taskQueue, stop };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
