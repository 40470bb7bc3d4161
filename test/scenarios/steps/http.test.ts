import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRunbook } from '@runwright/runbook';
import { AddressPolicy } from '../../../workers/src/config/address-policy.js';
import { envSecretSource } from '../../../workers/src/secrets/env-secret-source.js';
import { activityFailure, runActivity } from '../../support/activities.js';
import { freePort } from '../../support/free-port.js';
import { startHttpServer } from '../../support/http-server.js';
import { finalState, startTestRun } from '../../support/run-helpers.js';
import { selfSignedCertificate } from '../../support/self-signed.js';
import { connectToTestServer, startTestWorker, type RunningWorker } from '../../support/temporal.js';

let env: TestWorkflowEnvironment;
let worker: RunningWorker;
let folder: string;
let api: Awaited<ReturnType<typeof startHttpServer>>;
let tlsServer: Server;
let tlsPort: number;
let certFile: string;

/** Nothing private allowed: the shipped default. */
const strict = { secrets: envSecretSource({}), addresses: new AddressPolicy([]) };
/** Only 127.0.0.1 itself, so other loopback addresses stand in for internal ones. */
const onlyLocalhost = { secrets: envSecretSource({}), addresses: new AddressPolicy(['127.0.0.1']) };

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'runwright-http-'));
  env = await connectToTestServer();
  worker = await startTestWorker(env, { kinds: ['http'] });
  api = await startHttpServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    if (url.pathname === '/deploy') {
      let body = '';
      request.on('data', (c: Buffer) => (body += c));
      request.on('end', () => response.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: JSON.parse(body), replicas: 3, ready: 3 })));
      return;
    }
    if (url.pathname === '/redirect') return void response.writeHead(302, { location: url.searchParams.get('to')! }).end();
    if (url.pathname === '/slow') return void setTimeout(() => response.end('late'), 5_000).unref();
    if (url.pathname === '/big') return void response.end('x'.repeat(100_000));
    if (url.pathname === '/broken') return void response.writeHead(503).end('down');
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: url.pathname, auth: request.headers.authorization ?? null }));
  });
  const { cert, key, certFile: file } = selfSignedCertificate(folder);
  certFile = file;
  tlsServer = createServer({ cert, key }, (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"tls":true}'));
  await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
  tlsPort = (tlsServer.address() as { port: number }).port;
});

afterAll(async () => {
  await worker?.stop();
  await api?.close();
  tlsServer?.closeAllConnections();
  await new Promise((resolve) => tlsServer?.close(resolve));
  await env?.teardown();
  rmSync(folder, { recursive: true, force: true });
});

describe('http on a real worker', () => {
  it('sends JSON with the idempotency key, checks status and a JSONata assertion', async () => {
    const handle = await startTestRun(env, worker.taskQueue, {
      nodes: [
        {
          id: 'deploy',
          kind: 'http',
          config: { method: 'POST', url: `${api.url}/deploy`, body: { version: '1.2.3' }, expectStatus: [202], assert: 'json.ready = json.replicas and json.accepted.version = "1.2.3"' },
        },
        { id: 'check', kind: 'http', retry: { maximumAttempts: 2, initialInterval: '100ms' }, config: { url: `${api.url}/deploy`, method: 'POST', body: {}, expectStatus: [202], assert: 'json.replicas > 5' } },
      ],
      edges: [{ from: 'deploy', to: 'check' }],
    });
    const state = await finalState(handle);
    expect(state.nodes.deploy).toMatchObject({ status: 'succeeded', output: { status: 202, json: { replicas: 3 }, redirects: [] } });
    expect(api.requests.find((r) => r.url === '/deploy')!.headers['idempotency-key']).toBe(`${handle.workflowId}/deploy`);
    // A failed assertion is retryable: the policy's two attempts both ran.
    expect(state.nodes.check).toMatchObject({ status: 'failed', attempts: 2, error: { type: 'AssertionFailed', message: expect.stringContaining('assertion json.replicas > 5 gave false') } });
  });

  it('refuses an assertion that is not JSONata when the runbook is loaded', () => {
    const result = loadRunbook(JSON.stringify({ id: 'x', title: 'X', nodes: [{ id: 'a', kind: 'http', config: { url: 'https://example.com', assert: 'json.(' } }] }));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.map((p) => p.message).join()).toMatch(/not a valid JSONata expression/);
  });
});

describe('the outbound address policy', () => {
  it('refuses loopback, mapped, private and metadata addresses by default, without retrying', async () => {
    const before = api.requests.length;
    for (const url of [`${api.url}/`, 'http://169.254.169.254/latest/meta-data/', 'http://10.0.0.1/', `http://[::ffff:127.0.0.1]:${new URL(api.url).port}/`, 'http://[::1]/', 'http://0.0.0.0/']) {
      const failure = await activityFailure(runActivity('http', { url, timeoutMs: 2_000 }, { activityConfig: strict }));
      expect(failure, url).toMatchObject({ type: 'AddressRefused', nonRetryable: true, message: expect.stringContaining("refused by the worker's outbound policy") });
    }
    expect(api.requests.length).toBe(before);
  });

  it('checks names after DNS resolution', async () => {
    const before = api.requests.length;
    const failure = await activityFailure(runActivity('http', { url: `http://localhost:${new URL(api.url).port}/` }, { activityConfig: strict }));
    expect(failure).toMatchObject({ type: 'AddressRefused', message: expect.stringMatching(/localhost resolves to .* loopback address/) });
    expect(api.requests.length).toBe(before);
  });

  it('checks every redirect hop, so an allowed server cannot bounce the step inward', async () => {
    const port = new URL(api.url).port;
    const failure = await activityFailure(runActivity('http', { url: `${api.url}/redirect?to=http://127.0.0.2:${port}/internal` }, { activityConfig: onlyLocalhost }));
    expect(failure).toMatchObject({ type: 'AddressRefused', message: expect.stringContaining('127.0.0.2 is a loopback address') });
    expect(api.requests.map((r) => r.url)).not.toContain('/internal');
  });

  it('follows allowed redirects by hand and keeps credentials with their origin', async () => {
    const port = new URL(api.url).port;
    // Same server, another origin (name instead of address).
    const result = await runActivity('http', { url: `${api.url}/redirect?to=http://localhost:${port}/landed`, headers: { authorization: 'Bearer t' } });
    expect(result.output).toMatchObject({ status: 200, url: `http://localhost:${port}/landed`, redirects: [`http://localhost:${port}/landed`], json: { path: '/landed', auth: null } });
    const kept = await runActivity('http', { url: `${api.url}/redirect?to=/same-origin`, headers: { authorization: 'Bearer t' } });
    expect(kept.output.json).toEqual({ path: '/same-origin', auth: 'Bearer t' });
    const notFollowed = await runActivity('http', { url: `${api.url}/redirect?to=/x`, followRedirects: false, expectStatus: [302] });
    expect(notFollowed.output).toMatchObject({ status: 302, redirects: [] });
  });
});

describe('the http activity', () => {
  it('verifies TLS against a given CA, and skips verification only when told', async () => {
    const url = `https://127.0.0.1:${tlsPort}/`;
    expect(await activityFailure(runActivity('http', { url }))).toMatchObject({ type: 'Unreachable', message: expect.stringMatching(/SELF_SIGNED|UNABLE_TO_VERIFY/), nonRetryable: false });
    expect((await runActivity('http', { url, tls: { caFile: certFile } })).output.json).toEqual({ tls: true });
    expect((await runActivity('http', { url, tls: { insecureSkipVerify: true } })).output.json).toEqual({ tls: true });
  });

  it('types the failures a retry policy acts on', async () => {
    expect(await activityFailure(runActivity('http', { url: `${api.url}/broken` }))).toMatchObject({ type: 'UnexpectedStatus', message: `GET ${api.url}/broken answered 503 (expected 200)`, nonRetryable: false });
    expect(await activityFailure(runActivity('http', { url: `${api.url}/slow`, timeoutMs: 200 }))).toMatchObject({ type: 'TimedOut', nonRetryable: false });
    const closed = await freePort();
    expect(await activityFailure(runActivity('http', { url: `http://127.0.0.1:${closed}/` }))).toMatchObject({ type: 'Unreachable', message: expect.stringContaining('ECONNREFUSED') });
    expect(await activityFailure(runActivity('http', { url: 'not a url' }))).toMatchObject({ type: 'InvalidConfig', message: 'url: not a URL: not a url', nonRetryable: true });
    expect(await activityFailure(runActivity('http', { url: 'file:///etc/passwd' }))).toMatchObject({ type: 'InvalidConfig', nonRetryable: true });
  });

  it('caps the captured body and says so', async () => {
    const result = await runActivity('http', { url: `${api.url}/big`, maxBodyBytes: 1_000 });
    expect(result.output).toMatchObject({ truncated: true });
    expect(result.output.body.length).toBe(1_000);
  });
});
