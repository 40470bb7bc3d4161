import type { Worker } from '@temporalio/worker';
import type { Logger } from 'pino';

/** After the grace period, cancelled steps get this long to wind down before the SDK gives up on them. */
const cancelWindowMs = 3_000;
/** The process exits this long after the grace period at the latest, whatever it still waits for. */
const exitMarginMs = 5_000;
/** Once nothing runs any more, how long the SDK's goodbye to the server may take. */
const goodbyeMs = 2_000;

export interface ShutdownTimes {
  /** Running activities may finish for this long (the SDK's `shutdownGraceTime`), then are cancelled. */
  graceMs: number;
  /** The SDK stops waiting for cancelled activities (`shutdownForceTime`). */
  forceMs: number;
  /** The process exits, whatever happens. */
  exitMs: number;
}

export function shutdownTimes(graceSeconds: number): ShutdownTimes {
  if (!Number.isFinite(graceSeconds) || graceSeconds < 0) {
    throw new Error(`RUNWRIGHT_WORKER_SHUTDOWN_SECONDS must be a number of seconds, 0 or more (got ${graceSeconds})`);
  }
  const graceMs = graceSeconds * 1_000;
  return { graceMs, forceMs: graceMs + cancelWindowMs, exitMs: graceMs + exitMarginMs };
}

/**
 * Stops the worker on SIGINT/SIGTERM in a bounded time. The SDK's own signal handling is off
 * (`Runtime.install({ shutdownSignals: [] })`) for two reasons found the hard way: it does
 * nothing while no worker runs yet, so a signal during a connect to an unreachable server was
 * swallowed and the process ran on; and once drained, the SDK waits for the server to
 * acknowledge the worker's shutdown (the `shutdown_worker` call), 30 s when the server does not
 * answer. Nothing is in flight by then, so we give that goodbye two seconds. The timers hold
 * the process open on purpose; `main.ts` exits as soon as the worker has stopped.
 */
export function stopOnSignals(log: Logger, times: ShutdownTimes, current: () => Worker | undefined): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const worker = current();
    if (worker?.getState() !== 'RUNNING') {
      log.info({ signal }, 'worker stopping before it polled anything');
      process.exit(0);
    }
    log.info({ signal, graceSeconds: times.graceMs / 1_000 }, `worker stopping: running steps get ${times.graceMs / 1_000} s to finish`);
    worker.shutdown();
    setTimeout(() => {
      log.warn(`worker still stopping ${times.exitMs / 1_000} s after ${signal}; exiting anyway`);
      process.exit(1);
    }, times.exitMs);
    const watch = setInterval(() => {
      if (!['DRAINED', 'STOPPED', 'FAILED'].includes(worker.getState())) return;
      clearInterval(watch);
      setTimeout(() => {
        log.info('the Temporal server did not acknowledge the worker\'s shutdown; exiting, as nothing is in flight');
        process.exit(0);
      }, goodbyeMs);
    }, 100);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
