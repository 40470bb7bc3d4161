import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProtocol, type RunState } from '@runwright/runbook';
import { activityFailure, runActivity } from '../../support/activities.js';
import { startHttpServer } from '../../support/http-server.js';
import { finalState, startTestRun } from '../../support/run-helpers.js';
import { connectToTestServer, startTestWorker, type RunningWorker } from '../../support/temporal.js';
import { startPrometheus, type RunningPrometheus } from './servers/prometheus.js';

let env: TestWorkflowEnvironment;
let worker: RunningWorker;
let folder: string;
let prometheus: RunningPrometheus;
let exporter: Awaited<ReturnType<typeof startHttpServer>>;
/** What the tiny exporter reports; tests change it to move the system under watch. */
const gauges = { ready: 0, errorRatio: 0.01 };

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'runwright-prom-'));
  exporter = await startHttpServer((_req, res) =>
    res
      .writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
      .end(
        [
          '# TYPE rollout_ready gauge',
          `rollout_ready ${gauges.ready}`,
          '# TYPE http_error_ratio gauge',
          `http_error_ratio{service="api"} ${gauges.errorRatio}`,
          `http_error_ratio{service="web"} ${gauges.errorRatio / 2}`,
          '',
        ].join('\n'),
      ),
  );
  prometheus = await startPrometheus(folder, [new URL(exporter.url).host]);
  await prometheus.waitForData('http_error_ratio');
  env = await connectToTestServer();
  worker = await startTestWorker(env, { kinds: ['promql', 'waitUntil'] });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await prometheus?.stop();
  await exporter?.close();
  await env?.teardown();
  rmSync(folder, { recursive: true, force: true });
});

describe('promql against a real Prometheus', () => {
  it('runs an instant query and asserts over every series', async () => {
    const result = await runActivity('promql', { url: prometheus.url, query: 'http_error_ratio', assert: '$count(values) = 2 and $max(values) < 0.05' });
    expect(result.output.resultType).toBe('vector');
    expect(result.output.values.sort()).toEqual([0.005, 0.01]);
    const scalar = await runActivity('promql', { url: prometheus.url, query: 'scalar(sum(http_error_ratio))' });
    expect(scalar.output).toMatchObject({ resultType: 'scalar', values: [0.015] });
  });

  it('fails a guard that does not hold, retryably, and a query Prometheus rejects, not', async () => {
    expect(await activityFailure(runActivity('promql', { url: prometheus.url, query: 'http_error_ratio', assert: '$max(values) < 0.001' }))).toMatchObject({
      type: 'AssertionFailed',
      nonRetryable: false,
      message: 'promql http_error_ratio: assertion $max(values) < 0.001 gave false, not true',
    });
    expect(await activityFailure(runActivity('promql', { url: prometheus.url, query: 'sum(' }))).toMatchObject({ type: 'InvalidConfig', nonRetryable: true, message: expect.stringMatching(/^query: /) });
  });
});

describe('waitUntil', () => {
  it('polls a PromQL check through the interpreter until the rollout is ready', async () => {
    gauges.ready = 0;
    const handle = await startTestRun(env, worker.taskQueue, {
      nodes: [
        {
          id: 'wait-ready',
          kind: 'waitUntil',
          heartbeat: '10s',
          config: { check: { kind: 'promql', config: { url: prometheus.url, query: 'rollout_ready', assert: 'values[0] = 1' } }, intervalMs: 200, timeoutMs: 60_000 },
        },
      ],
    });
    // Let it poll a not-yet-ready system before the rollout becomes ready.
    for (let i = 0; i < 100; i++) {
      const state = await handle.query<RunState>(runProtocol.queries.state);
      if (state.nodes['wait-ready']?.status === 'running') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    gauges.ready = 1;
    const state = await finalState(handle);
    expect(state.status).toBe('succeeded');
    expect(state.nodes['wait-ready']!.output).toMatchObject({ output: { values: [1] } });
    expect((state.nodes['wait-ready']!.output as { polls: number }).polls).toBeGreaterThanOrEqual(1);
  });

  it('gives up at its deadline with the last reason', async () => {
    const failure = await activityFailure(
      runActivity('waitUntil', { check: { kind: 'promql', config: { url: prometheus.url, query: 'http_error_ratio', assert: '$max(values) > 1' } }, intervalMs: 100, timeoutMs: 500 }),
    );
    expect(failure).toMatchObject({ type: 'TimedOut', message: expect.stringMatching(/^promql check did not hold within 500 ms \(\d+ polls\); last: AssertionFailed: .*gave false/) });
  });

  it('stops at once on a check that cannot succeed, and polls other kinds too', async () => {
    expect(await activityFailure(runActivity('waitUntil', { check: { kind: 'http', config: { url: 'file:///etc/passwd' } }, intervalMs: 100, timeoutMs: 60_000 }))).toMatchObject({ type: 'InvalidConfig', nonRetryable: true });
    const shellCheck = await runActivity('waitUntil', { check: { kind: 'shell', config: { command: ['true'] } }, intervalMs: 100, timeoutMs: 1_000 });
    expect(shellCheck.output).toMatchObject({ polls: 1, output: { exitCode: 0 } });
  });
});
