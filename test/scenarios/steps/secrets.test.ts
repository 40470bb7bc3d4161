import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AddressPolicy } from '../../../workers/src/config/address-policy.js';
import { envSecretSource } from '../../../workers/src/secrets/env-secret-source.js';
import { fileSecretSource } from '../../../workers/src/secrets/file-secret-source.js';
import { chainSecretSources } from '../../../workers/src/secrets/secret-source.js';
import { startApiServer } from '../../support/api-server.js';
import { historyText } from '../../support/history-text.js';
import { startHttpServer } from '../../support/http-server.js';
import { finalState, startTestRun } from '../../support/run-helpers.js';
import { connectToTestServer, startTestWorker, type RunningWorker } from '../../support/temporal.js';

// A value that cannot appear by chance: if it is found anywhere, it leaked.
const canary = `canary-${randomUUID()}`;
const envCanary = `env-canary-${randomUUID()}`;
let env: TestWorkflowEnvironment;
let worker: RunningWorker;
let folder: string;
let echo: Awaited<ReturnType<typeof startHttpServer>>;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'runwright-secrets-'));
  writeFileSync(join(folder, 'secrets.json'), JSON.stringify({ CANARY: canary }));
  env = await connectToTestServer();
  worker = await startTestWorker(env, {
    activityConfig: {
      secrets: chainSecretSources(fileSecretSource(join(folder, 'secrets.json')), envSecretSource({ RUNWRIGHT_SECRET_ENV_CANARY: envCanary })),
      addresses: new AddressPolicy(['127.0.0.1/32']),
    },
  });
  // Echoes the authorization header back, as a careless server might.
  echo = await startHttpServer((request, response) =>
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ seen: request.headers.authorization })),
  );
});

afterAll(async () => {
  await worker?.stop();
  await echo?.close();
  await env?.teardown();
  rmSync(folder, { recursive: true, force: true });
});

describe('secrets referenced as { secret: NAME }', () => {
  it('reach the program and the server, and appear nowhere in history or run state', async () => {
    const proof = join(folder, 'proof.txt');
    const handle = await startTestRun(env, worker.taskQueue, {
      secrets: ['CANARY', 'ENV_CANARY'],
      nodes: [
        {
          id: 'use-secret',
          kind: 'shell',
          config: {
            script: 'printf %s "$TOKEN" > "$PROOF"; echo "token is $TOKEN and $OTHER"; echo "stderr $TOKEN" >&2',
            env: { TOKEN: { secret: 'CANARY' }, OTHER: { secret: 'ENV_CANARY' }, PROOF: proof },
          },
        },
        {
          id: 'call-api',
          kind: 'http',
          config: { url: `${echo.url}/echo`, headers: { authorization: { secret: 'CANARY' } }, body: { token: { secret: 'CANARY' } }, method: 'POST' },
        },
        {
          id: 'wait-for-it',
          kind: 'waitUntil',
          config: { check: { kind: 'shell', config: { script: 'echo "polled with $TOKEN"', env: { TOKEN: { secret: 'CANARY' } } } }, intervalMs: 100, timeoutMs: 5_000 },
        },
        {
          id: 'tell',
          kind: 'notify',
          config: { title: 'secret test', webhook: { url: `${echo.url}/notify`, headers: { authorization: { secret: 'CANARY' } } } },
        },
        {
          id: 'fail-loudly',
          kind: 'shell',
          retry: { maximumAttempts: 1 },
          config: { script: 'echo "cannot log in with $TOKEN" >&2; exit 4', env: { TOKEN: { secret: 'CANARY' } } },
        },
      ],
      edges: [
        { from: 'use-secret', to: 'call-api' },
        { from: 'call-api', to: 'wait-for-it' },
        { from: 'wait-for-it', to: 'tell' },
        { from: 'tell', to: 'fail-loudly' },
      ],
    });
    const state = await finalState(handle);

    // It really reached the program and the server...
    expect(readFileSync(proof, 'utf8')).toBe(canary);
    expect(echo.requests[0]!.headers.authorization).toBe(canary);
    // ...came back redacted...
    expect(state.nodes['use-secret']!.output).toMatchObject({ stdout: 'token is *** and ***\n', stderr: 'stderr ***\n' });
    expect(state.nodes['call-api']!.output).toMatchObject({ json: { seen: '***' } });
    expect(state.nodes['wait-for-it']!.output).toMatchObject({ output: { stdout: 'polled with ***\n' } });
    expect(echo.requests.find((r) => r.url === '/notify')!.headers.authorization).toBe(canary);
    expect(state.nodes['fail-loudly']!.error).toEqual({ type: 'UnexpectedExitCode', message: '/bin/sh exited with 4 (expected 0): cannot log in with ***' });
    // ...and is nowhere in what Temporal recorded or the query answers.
    const history = await historyText(handle);
    expect(history).toContain('CANARY');
    expect(history).toContain('cannot log in with ***');
    // The API shows the run and its events from the same history and query.
    const api = await startApiServer(env, { taskQueue: worker.taskQueue });
    try {
      const run = await api.call('GET', `/api/runs/${handle.workflowId}`);
      const events = await api.call('GET', `/api/runs/${handle.workflowId}/events`);
      expect([run.status, events.status]).toEqual([200, 200]);
      expect(JSON.stringify(run.body)).toContain('polled with ***');
      for (const body of [run.body, events.body]) {
        for (const value of [canary, envCanary]) expect(JSON.stringify(body)).not.toContain(value);
      }
    } finally {
      await api.close();
    }
    for (const value of [canary, envCanary, Buffer.from(canary).toString('base64')]) {
      expect(history).not.toContain(value);
      expect(JSON.stringify(state)).not.toContain(value);
    }
  });

  it('fails without retrying when a referenced secret is missing, naming the field but no value', async () => {
    const handle = await startTestRun(env, worker.taskQueue, {
      secrets: ['NOT_THERE'],
      nodes: [{ id: 'needs-secret', kind: 'shell', retry: { maximumAttempts: 3, initialInterval: '100ms' }, config: { command: ['true'], env: { X: { secret: 'NOT_THERE' } } } }],
    });
    const state = await finalState(handle);
    expect(state.nodes['needs-secret']).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { type: 'SecretMissing', message: expect.stringMatching(/^env\.X: secret NOT_THERE is not in secrets file .*secrets\.json, then environment variables RUNWRIGHT_SECRET_<NAME>$/) },
    });
  });

  it('reads a rotated secrets file on the next lookup, and never quotes a broken file', async () => {
    const file = join(folder, 'rotating.json');
    const source = fileSecretSource(file);
    writeFileSync(file, JSON.stringify({ TOKEN: 'first' }));
    expect(await source.lookup('TOKEN')).toBe('first');
    writeFileSync(file, JSON.stringify({ TOKEN: 'second' }));
    expect(await source.lookup('TOKEN')).toBe('second');
    writeFileSync(file, '{"TOKEN": "half-written-secret');
    const error = await source.lookup('TOKEN').catch((e: unknown) => e as Error);
    expect((error as Error).message).toMatch(/cannot be read as JSON/);
    expect((error as Error).message).not.toContain('half-written-secret');
  });

  it('refuses malformed references when the runbook is loaded', async () => {
    const { loadRunbook } = await import('@runwright/runbook');
    const result = loadRunbook(JSON.stringify({ id: 'bad', title: 'Bad', nodes: [{ id: 'a', kind: 'shell', config: { command: ['true'], env: { X: { secret: 'lower-case' } } } }] }));
    expect(result.ok).toBe(false);
  });
});
