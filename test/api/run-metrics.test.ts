import type { Server } from 'node:http';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { RunView } from '@runwright/runbook';
import { serveMetrics } from '../../workers/src/metrics/metrics-server.js';
import { createWorkerMetrics } from '../../workers/src/metrics/worker-metrics.js';
import { startApiServer } from '../support/api-server.js';
import { runbooksFolder } from '../support/runbooks.js';
import { connectToTestServer, startTestWorker, type RunningWorker } from '../support/temporal.js';

let env: TestWorkflowEnvironment;
let worker: RunningWorker;
let api: Awaited<ReturnType<typeof startApiServer>>;
let metricsServer: Server;
let workerMetricsUrl: string;
let folder: string;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'runwright-metrics-runbooks-'));
  cpSync(join(runbooksFolder, 'hello.yaml'), join(folder, 'hello.yaml'));
  writeFileSync(
    join(folder, 'breaks.yaml'),
    stringify({ id: 'breaks', title: 'Breaks', nodes: [{ id: 'fail', kind: 'shell', config: { command: ['false'] }, retry: { maximumAttempts: 1 } }] }),
  );
  env = await connectToTestServer();
  const metrics = createWorkerMetrics();
  // The same server the worker's main serves at RUNWRIGHT_WORKER_METRICS_PORT; port 0 picks a free one.
  metricsServer = await serveMetrics(metrics.registry, '127.0.0.1', 0);
  workerMetricsUrl = `http://127.0.0.1:${(metricsServer.address() as { port: number }).port}/metrics`;
  worker = await startTestWorker(env, { metrics });
  api = await startApiServer(env, { taskQueue: worker.taskQueue, runbooks: folder });
});

afterAll(async () => {
  await api?.close();
  await worker?.stop();
  await new Promise((done) => metricsServer?.close(done));
  await env?.teardown();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

async function pollRun(runId: string, until: (run: RunView) => boolean): Promise<RunView> {
  for (let i = 0; i < 600; i++) {
    const { body } = await api.call('GET', `/api/runs/${runId}`);
    if (body.state && until(body)) return body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`run ${runId} never reached the expected state`);
}

/** The value of one sample, `undefined` when the series does not exist. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const workerMetrics = async () => (await fetch(workerMetricsUrl)).text();
const apiMetrics = async () => (await api.call('GET', '/metrics', undefined, null)).body as string;

describe('metrics of runs finishing and checkpoints waiting', () => {
  it('counts finished runs by runbook, trigger and outcome on the worker, and checkpoint wait on the API', async () => {
    expect(sample(await workerMetrics(), 'runwright_runs_finished_total{runbook="hello",trigger="manual",outcome="succeeded"}')).toBeUndefined();

    const hello = await api.call('POST', '/api/runbooks/hello/runs', { params: { healthUrl: `${api.url}/healthz` } }, api.tokens.operator);
    const waiting = await pollRun(hello.body.runId, (r) => r.state.pendingCheckpoints.length > 0);
    const decided = await api.call('POST', `/api/runs/${hello.body.runId}/checkpoints/confirm/decision`, { decision: 'approve', planHash: hello.body.planHash, checklist: { 'greeting-read': true } }, api.tokens.approver);
    expect(decided.status).toBe(200);
    await pollRun(hello.body.runId, (r) => r.temporalStatus === 'COMPLETED');

    const failing = await api.call('POST', '/api/runbooks/breaks/runs', { params: {} }, api.tokens.operator);
    await pollRun(failing.body.runId, (r) => r.temporalStatus === 'FAILED');

    const cancelled = await api.call('POST', '/api/runbooks/hello/runs', { params: {} }, api.tokens.operator);
    await pollRun(cancelled.body.runId, (r) => r.state.pendingCheckpoints.length > 0);
    expect((await api.call('POST', `/api/runs/${cancelled.body.runId}/cancel`, { reason: 'metrics test' }, api.tokens.operator)).status).toBe(202);
    await pollRun(cancelled.body.runId, (r) => r.temporalStatus !== 'RUNNING');

    // The sink runs after the workflow task completes: give it until the counts appear.
    let text = '';
    for (let i = 0; i < 100; i++) {
      text = await workerMetrics();
      if (sample(text, 'runwright_runs_finished_total{runbook="hello",trigger="manual",outcome="cancelled"}') === 1) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(sample(text, 'runwright_runs_finished_total{runbook="hello",trigger="manual",outcome="succeeded"}')).toBe(1);
    expect(sample(text, 'runwright_runs_finished_total{runbook="breaks",trigger="manual",outcome="failed"}')).toBe(1);
    expect(sample(text, 'runwright_runs_finished_total{runbook="hello",trigger="manual",outcome="cancelled"}')).toBe(1);
    expect(text).toContain('# TYPE runwright_runs_finished_total counter');

    // Queries on closed runs replay their history on the worker: replay must not count them again.
    for (const runId of [hello.body.runId, failing.body.runId, cancelled.body.runId]) {
      expect((await api.call('GET', `/api/runs/${runId}`)).status).toBe(200);
    }
    const afterReplay = await workerMetrics();
    expect(sample(afterReplay, 'runwright_runs_finished_total{runbook="hello",trigger="manual",outcome="succeeded"}')).toBe(1);
    expect(sample(afterReplay, 'runwright_runs_finished_total{runbook="breaks",trigger="manual",outcome="failed"}')).toBe(1);

    const fromApi = await apiMetrics();
    const labels = '{runbook="hello",kind="approval",outcome="approved"}';
    expect(sample(fromApi, `runwright_checkpoint_wait_seconds_count${labels}`)).toBe(1);
    const waited = sample(fromApi, `runwright_checkpoint_wait_seconds_sum${labels}`)!;
    expect(waited).toBeGreaterThanOrEqual(0);
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
