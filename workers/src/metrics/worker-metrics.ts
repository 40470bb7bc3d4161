import { Counter, Registry, collectDefaultMetrics } from 'prom-client';
import type { InjectedSinks } from '@temporalio/worker';
import type { RunMetricsSinks } from '../workflows/metrics-interceptors.js';

/**
 * The worker's Prometheus metrics, fed by the workflow sinks of `metrics-interceptors.ts`. A
 * registry of its own per worker, so tests can run several in one process.
 */
export function createWorkerMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'runwright_worker_' });
  const runsFinished = new Counter({
    name: 'runwright_runs_finished_total',
    help: 'Runs that ended on this worker, by runbook, trigger and outcome (succeeded, failed, cancelled); terminated runs end without running code and are not counted',
    labelNames: ['runbook', 'trigger', 'outcome'] as const,
    registers: [registry],
  });
  const sinks: InjectedSinks<RunMetricsSinks> = {
    runMetrics: {
      runFinished: {
        fn: (_info, event) => runsFinished.inc({ runbook: event.runbookId, trigger: event.trigger, outcome: event.outcome }),
        // History being replayed (a worker restart, a cache eviction) is not a run finishing again.
        callDuringReplay: false,
      },
    },
  };
  return { registry, sinks };
}
export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;
