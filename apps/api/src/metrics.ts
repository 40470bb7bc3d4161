import { ApiError } from './http/api-error.js';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The API's Prometheus metrics, on a registry of its own (one per app, so tests can run several). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'runwright_api_' });
  return {
    registry,
    runsStarted: new Counter({
      name: 'runwright_runs_started_total',
      help: 'Runs started, by runbook and trigger',
      labelNames: ['runbook', 'trigger'] as const,
      registers: [registry],
    }),
    alertDecisions: new Counter({
      name: 'runwright_alert_decisions_total',
      help: 'What the Alertmanager receiver did with each alert and route: started, joined, suppressed, refused, resolved, unmatched',
      labelNames: ['runbook', 'decision'] as const,
      registers: [registry],
    }),
    alertsSuppressed: new Counter({
      name: 'runwright_alerts_suppressed_total',
      help: 'Alerts that started no run because of storm control or the pause switch, by runbook',
      labelNames: ['runbook'] as const,
      registers: [registry],
    }),
    checkpointWait: new Histogram({
      name: 'runwright_checkpoint_wait_seconds',
      help: 'How long checkpoints waited for people, from opening to the decision that closed them (measured by the API at decision time), by runbook, kind (approval, failure) and outcome',
      labelNames: ['runbook', 'kind', 'outcome'] as const,
      buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14_400, 43_200, 86_400],
      registers: [registry],
    }),
    webhookSeconds: new Histogram({
      name: 'runwright_webhook_handling_seconds',
      help: 'Time from receiving a webhook to answering it (Temporal has accepted every start by then)',
      labelNames: ['receiver', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;

/** Times one webhook delivery, labelled with the status it was answered with. */
export async function timedDelivery<T extends { status: number }>(metrics: Metrics, receiver: string, handle: () => Promise<T>): Promise<T> {
  const timer = metrics.webhookSeconds.startTimer({ receiver });
  let status = 500;
  try {
    const reply = await handle();
    status = reply.status;
    return reply;
  } catch (error) {
    status = error instanceof ApiError ? error.status : 500;
    throw error;
  } finally {
    timer({ status: String(status) });
  }
}
