import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { serveMetrics } from '../../workers/src/metrics/metrics-server.js';
import { createWorkerMetrics } from '../../workers/src/metrics/worker-metrics.js';
import { startApiStack, type ApiStack } from '../support/api-stack.js';
import { eventually } from '../support/eventually.js';
import { pollRun } from '../support/run-polling.js';

let stack: ApiStack;
let metricsServer: Server;
let workerMetricsUrl: string;

beforeAll(async () => {
  const metrics = createWorkerMetrics();
  // The same server the worker's main serves at RUNWRIGHT_WORKER_METRICS_PORT; port 0 picks a free one.
  metricsServer = await serveMetrics(metrics.registry, '127.0.0.1', 0);
  workerMetricsUrl = `http://127.0.0.1:${(metricsServer.address() as { port: number }).port}/metrics`;
  const breaks = stringify({ id: 'breaks', title: 'Breaks', nodes: [{ id: 'fail', kind: 'shell', config: { command: ['false'] }, retry: { maximumAttempts: 1 } }] });
  stack = await startApiStack({ runbooks: { copy: ['hello'], files: { 'breaks.yaml': breaks } }, worker: { metrics } });
});

afterAll(async () => {
  await stack?.stop();
  await new Promise((done) => metricsServer?.close(done));
});



/** The value of one sample, `undefined` when the series does not exist. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const workerMetrics = async () => (await fetch(workerMetricsUrl)).text();
const apiMetrics = async () => (await stack.api.call('GET', '/metrics', undefined, null)).body as string;

describe('metrics of runs finishing and checkpoints waiting', () => {
  it('counts finished runs by runbook, trigger and outcome on the worker, and checkpoint wait on the API', async () => {
    expect(sample(await workerMetrics(), 'runwright_runs_finished_total{runbook="hello",trigger="manual",outcome="succeeded"}')).toBeUndefined();

    const hello = await stack.api.call('POST', '/api/runbooks/hello/runs', { params: { healthUrl: `${stack.api.url}/healthz` } }, stack.api.tokens.operator);
    const waiting = await pollRun(stack.api, hello.body.runId, (r) => r.state.pendingCheckpoints.length > 0);
    const decided = await stack.api.call('POST', `/api/runs/${hello.body.runId}/checkpoints/confirm/decision`, { decision: 'approve', planHash: hello.body.planHash, checklist: { 'greeting-read': true } }, stack.api.tokens.approver);
    expect(decided.status).toBe(200);
    await pollRun(stack.api, hello.body.runId, (r) => r.temporalStatus === 'COMPLETED');

    const failing = await stack.api.call('POST', '/api/runbooks/breaks/runs', { params: {} }, stack.api.tokens.operator);
    await pollRun(stack.api, failing.body.runId, (r) => r.temporalStatus === 'FAILED');

    const cancelled = await stack.api.call('POST', '/api/runbooks/hello/runs', { params: {} }, stack.api.tokens.operator);
    await pollRun(stack.api, cancelled.body.runId, (r) => r.state.pendingCheckpoints.length > 0);
    expect((await stack.api.call('POST', `/api/runs/${cancelled.body.runId}/cancel`, { reason: 'metrics test' }, stack.api.tokens.operator)).status).toBe(202);
    await pollRun(stack.api, cancelled.body.runId, (r) => r.temporalStatus !== 'RUNNING');

    // The sink runs after the workflow task completes: give it until the counts appear.
    const text = await eventually(workerMetrics, (t) => sample(t, 'runwright_runs_finished_total{runbook="hello",trigger="manual",outcome="cancelled"}') === 1, {
      what: 'the cancelled run counted',
      attempts: 100,
    });
    expect(sample(text, 'runwright_runs_finished_total{runbook="hello",trigger="manual",outcome="succeeded"}')).toBe(1);
    expect(sample(text, 'runwright_runs_finished_total{runbook="breaks",trigger="manual",outcome="failed"}')).toBe(1);
    expect(sample(text, 'runwright_runs_finished_total{runbook="hello",trigger="manual",outcome="cancelled"}')).toBe(1);
    expect(text).toContain('# TYPE runwright_runs_finished_total counter');

    // Queries on closed runs replay their history on the worker: replay must not count them again.
    for (const runId of [hello.body.runId, failing.body.runId, cancelled.body.runId]) {
      expect((await stack.api.call('GET', `/api/runs/${runId}`)).status).toBe(200);
    }
    const afterReplay = await workerMetrics();
    expect(sample(afterReplay, 'runwright_runs_finished_total{runbook="hello",trigger="manual",outcome="succeeded"}')).toBe(1);
    expect(sample(afterReplay, 'runwright_runs_finished_total{runbook="breaks",trigger="manual",outcome="failed"}')).toBe(1);

    const fromApi = await apiMetrics();
    const labels = '{runbook="hello",kind="approval",outcome="approved"}';
    expect(sample(fromApi, `runwright_checkpoint_wait_seconds_count${labels}`)).toBe(1);
    const waited = sample(fromApi, `runwright_checkpoint_wait_seconds_sum${labels}`)!;
    expect(waited).toBeGreaterThan(0);
    // The wait is measured from the checkpoint's opening time in the run state, not from when the API saw it.
    expect(waited).toBeLessThanOrEqual((Date.now() - Date.parse(waiting.state.pendingCheckpoints[0]!.since)) / 1000);
    expect(sample(fromApi, `runwright_checkpoint_wait_seconds_bucket{le="+Inf",runbook="hello",kind="approval",outcome="approved"}`)).toBe(1);
    console.info(`metrics: checkpoint waited ${waited.toFixed(2)} s`);
  });

  it('serves only /metrics on the worker port', async () => {
    const other = await fetch(workerMetricsUrl.replace('/metrics', '/'));
    expect(other.status).toBe(404);
    const ok = await fetch(workerMetricsUrl);
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
  });
});
