import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityFailure, runActivity } from '../../support/activities.js';
import { startHttpServer } from '../../support/http-server.js';
import { finalState, startTestRun } from '../../support/run-helpers.js';
import { connectToTestServer, startTestWorker, type RunningWorker } from '../../support/temporal.js';
import { startHaproxy, type RunningHaproxy } from './servers/haproxy.js';
import { startNginx, type RunningNginx } from './servers/nginx.js';

let env: TestWorkflowEnvironment;
let worker: RunningWorker;
let folder: string;
let nginx: RunningNginx;
let haproxy: RunningHaproxy;
let blue: Awaited<ReturnType<typeof startHttpServer>>;
let green: Awaited<ReturnType<typeof startHttpServer>>;

const hostOf = (url: string) => new URL(url).host;
/** One request on a fresh connection: a kept-alive one could still be served by an nginx worker from before a reload. */
function fresh(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (response) => {
      let body = '';
      response.on('data', (c: Buffer) => (body += c));
      response.on('end', () => resolve(body));
    }).on('error', reject);
  });
}
const throughFront = () => fresh(`${nginx.url}/`);

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'runwright-nginx-'));
  blue = await startHttpServer((_req, res) => res.end('blue'));
  green = await startHttpServer((_req, res) => res.end('green'));
  nginx = await startNginx(join(folder, 'nginx'), 'app', hostOf(blue.url));
  haproxy = await startHaproxy(folder, 'app', hostOf(blue.url));
  env = await connectToTestServer();
  worker = await startTestWorker(env, { kinds: ['traffic.switch', 'shell'] });
});

afterAll(async () => {
  await worker?.stop();
  await nginx?.stop();
  await haproxy?.stop();
  await blue?.close();
  await green?.close();
  await env?.teardown();
  rmSync(folder, { recursive: true, force: true });
});

const base = () => ({ balancer: 'nginx', configFile: nginx.includeFile, upstream: 'app', validate: nginx.validate, reload: nginx.reload });

describe('traffic.switch against a real nginx', () => {
  it('switches blue to green through the interpreter, verified through the front, and rolls back to blue', async () => {
    expect(await throughFront()).toBe('blue');
    const handle = await startTestRun(env, worker.taskQueue, {
      nodes: [
        { id: 'to-green', kind: 'traffic.switch', config: { ...base(), servers: [{ address: hostOf(green.url) }], verify: { url: `${nginx.url}/`, assert: 'body = "green"', intervalMs: 100, attempts: 50 } } },
      ],
    });
    const state = await finalState(handle);
    expect(state.nodes['to-green']).toMatchObject({ status: 'succeeded', output: { changed: true, reloaded: true, verified: true } });
    expect(await throughFront()).toBe('green');
    expect(readFileSync(`${nginx.includeFile}.previous`, 'utf8')).toContain(hostOf(blue.url));

    // Repeating the same switch changes nothing and keeps blue as the previous config.
    const again = await runActivity('traffic.switch', { ...base(), servers: [{ address: hostOf(green.url) }] });
    expect(again.output).toMatchObject({ changed: false, reloaded: false });
    expect(readFileSync(`${nginx.includeFile}.previous`, 'utf8')).toContain(hostOf(blue.url));

    const back = await runActivity('traffic.switch', { ...base(), action: 'restorePrevious', verify: { url: `${nginx.url}/`, assert: 'body = "blue"', intervalMs: 100, attempts: 50 } });
    expect(back.output).toMatchObject({ changed: true, verified: true });
    expect(await throughFront()).toBe('blue');
  });

  it('is undone by its rollback action when a later step fails', async () => {
    expect(await throughFront()).toBe('blue');
    const handle = await startTestRun(env, worker.taskQueue, {
      defaults: { timeout: '1m', onFailure: 'rollback' },
      nodes: [
        {
          id: 'to-green',
          kind: 'traffic.switch',
          config: { ...base(), servers: [{ address: hostOf(green.url) }], verify: { url: `${nginx.url}/`, assert: 'body = "green"', intervalMs: 100, attempts: 50 } },
          rollback: { kind: 'traffic.switch', config: { ...base(), action: 'restorePrevious', verify: { url: `${nginx.url}/`, assert: 'body = "blue"', intervalMs: 100, attempts: 50 } } },
        },
        { id: 'smoke-test', kind: 'shell', retry: { maximumAttempts: 1 }, config: { command: ['false'] } },
      ],
      edges: [{ from: 'to-green', to: 'smoke-test' }],
    });
    const state = await finalState(handle);
    expect(state.status).toBe('failed');
    expect(state.nodes['smoke-test']!.error).toMatchObject({ type: 'UnexpectedExitCode' });
    expect(state.nodes['to-green']!.status).toBe('rolled-back');
    expect(await throughFront()).toBe('blue');
  });

  it('refuses a config nginx -t rejects, before reloading, and keeps the running one and the rollback file', async () => {
    const before = readFileSync(nginx.includeFile, 'utf8');
    const previous = readFileSync(`${nginx.includeFile}.previous`, 'utf8');
    const failure = await activityFailure(runActivity('traffic.switch', { ...base(), servers: [{ address: 'no-such-host.invalid:80' }] }));
    expect(failure).toMatchObject({ type: 'InvalidConfig', nonRetryable: true, message: expect.stringMatching(/^validate: .*refused the new config .*previous config kept/) });
    expect(readFileSync(nginx.includeFile, 'utf8')).toBe(before);
    expect(readFileSync(`${nginx.includeFile}.previous`, 'utf8')).toBe(previous);
    expect(await throughFront()).toBe('blue');
  });

  it('puts the previous config back when traffic does not reach the new servers', async () => {
    const before = readFileSync(nginx.includeFile, 'utf8');
    const failure = await activityFailure(
      runActivity('traffic.switch', { ...base(), servers: [{ address: hostOf(green.url) }], verify: { url: `${nginx.url}/`, assert: 'body = "purple"', attempts: 3, intervalMs: 100 } }),
    );
    expect(failure).toMatchObject({ type: 'AssertionFailed', message: expect.stringContaining('previous config restored and reloaded') });
    expect(readFileSync(nginx.includeFile, 'utf8')).toBe(before);
    // The reload back to blue is asynchronous in nginx: poll the front a few times.
    let seen = '';
    for (let i = 0; i < 50 && seen !== 'blue'; i++) {
      seen = await throughFront();
      if (seen !== 'blue') await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen).toBe('blue');
  });
});

describe('traffic.switch against a real HAProxy', () => {
  it('switches the backend, validated with haproxy -c and verified through the front, then restores it', async () => {
    const front = () => fresh(`${haproxy.url}/`);
    const config = { balancer: 'haproxy', configFile: haproxy.includeFile, upstream: 'app', validate: haproxy.validate, reload: haproxy.reload };
    expect(await front()).toBe('blue');
    const switched = await runActivity('traffic.switch', { ...config, servers: [{ address: hostOf(green.url) }], verify: { url: `${haproxy.url}/`, assert: 'body = "green"', intervalMs: 100, attempts: 50 } });
    expect(switched.output).toMatchObject({ changed: true, verified: true });
    expect(switched.output.content).toContain(`server s1 ${hostOf(green.url)}`);
    const refused = await activityFailure(runActivity('traffic.switch', { ...config, servers: [{ address: 'no-such-host.invalid:80' }] }));
    expect(refused).toMatchObject({ type: 'InvalidConfig', message: expect.stringMatching(/^validate: haproxy -c/) });
    const back = await runActivity('traffic.switch', { ...config, action: 'restorePrevious', verify: { url: `${haproxy.url}/`, assert: 'body = "blue"', intervalMs: 100, attempts: 50 } });
    expect(back.output.verified).toBe(true);
  });
});
