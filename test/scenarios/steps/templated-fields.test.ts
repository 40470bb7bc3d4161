import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AddressPolicy } from '../../../workers/src/config/address-policy.js';
import { envSecretSource } from '../../../workers/src/secrets/env-secret-source.js';
import { historyText } from '../../support/history-text.js';
import { finalState, startTestRun } from '../../support/run-helpers.js';
import { connectToTestServer, startTestWorker, type RunningWorker } from '../../support/temporal.js';
import { postgresPassword, startPostgres, type RunningPostgres } from './servers/postgres.js';
import { startSshd, type RunningSshd } from './servers/sshd.js';

// Typed fields (an ssh host, a postgres port, a parallelism) taken from parameters: loaded as
// templates, rendered by the interpreter, validated again with the real schema on the worker.
let env: TestWorkflowEnvironment;
let worker: RunningWorker;
let folder: string;
let sshd: RunningSshd;
let postgres: RunningPostgres;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'runwright-templated-'));
  chmodSync(folder, 0o755);
  sshd = await startSshd(folder, ['127.0.0.1', '127.0.0.2']);
  postgres = await startPostgres(join(folder, 'cluster'));
  const secrets = envSecretSource({ RUNWRIGHT_SECRET_DEPLOY_KEY: sshd.clientKey, RUNWRIGHT_SECRET_PG_PASSWORD: postgresPassword });
  env = await connectToTestServer();
  worker = await startTestWorker(env, { kinds: ['ssh', 'postgres.sql'], activityConfig: { secrets, addresses: new AddressPolicy(['127.0.0.0/8', '::1']) } });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await sshd?.stop();
  postgres?.stop();
  await env?.teardown();
  rmSync(folder, { recursive: true, force: true });
});

const parameters = {
  site: { type: 'string', default: '127.0.0.1' },
  sshPort: { type: 'number' },
  pgPort: { type: 'number' },
  hostsAtATime: { type: 'number', default: 1 },
};

/** A runbook whose ssh hosts, parallelism and postgres port all come from its parameters. */
function templatedRunbook() {
  // Pins are keyed by the host as it reads once rendered; the port is known here, not in the file's text.
  const pins = { [`127.0.0.1:${sshd.port}`]: sshd.hostFingerprint, [`127.0.0.2:${sshd.port}`]: sshd.hostFingerprint };
  return {
    parameters,
    secrets: ['DEPLOY_KEY', 'PG_PASSWORD'],
    nodes: [
      {
        id: 'remote',
        kind: 'ssh',
        retry: { maximumAttempts: 4, initialInterval: '100ms' },
        config: {
          hosts: ['{{ params.site }}:{{ params.sshPort }}', '127.0.0.2:{{ params.sshPort }}'],
          parallelism: '{{ params.hostsAtATime }}',
          user: 'root',
          privateKey: { secret: 'DEPLOY_KEY' },
          hostKeys: pins,
          command: ['echo', 'reached'],
        },
      },
      {
        id: 'query',
        kind: 'postgres.sql',
        retry: { maximumAttempts: 4, initialInterval: '100ms' },
        config: {
          connection: { host: '127.0.0.1', port: '{{ params.pgPort }}', user: 'postgres', password: { secret: 'PG_PASSWORD' } },
          sql: 'SELECT $1::int AS port',
          params: ['{{ params.pgPort }}'],
          readOnly: true,
        },
      },
    ],
    edges: [{ from: 'remote', to: 'query' }],
  };
}

describe('typed config fields taken from templates, on real servers', () => {
  it('renders an ssh host, a parallelism and a postgres port from parameters and runs against them', async () => {
    const handle = await startTestRun(env, worker.taskQueue, templatedRunbook(), { sshPort: sshd.port, pgPort: postgres.port });
    const state = await finalState(handle);
    expect(state.status, JSON.stringify(state.nodes)).toBe('succeeded');
    const remote = state.nodes.remote!.output as { hosts: { host: string; stdout: string; exitCode: number }[]; succeeded: number };
    expect(remote.succeeded).toBe(2);
    expect(remote.hosts.map((h) => h.host)).toEqual([`127.0.0.1:${sshd.port}`, `127.0.0.2:${sshd.port}`]);
    expect(remote.hosts.map((h) => h.stdout)).toEqual(['reached\n', 'reached\n']);
    expect(state.nodes.query!.output).toMatchObject({ rows: [{ port: postgres.port }] });
  });

  it('fails the node at once with InvalidConfig naming the field when a host renders with a space', async () => {
    const handle = await startTestRun(env, worker.taskQueue, templatedRunbook(), { site: 'bad host', sshPort: sshd.port, pgPort: postgres.port });
    const state = await finalState(handle);
    expect(state.status).toBe('failed');
    expect(state.nodes.remote).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { type: 'InvalidConfig', message: `hosts.0: host, host:port or [v6]:port (got "bad host:${sshd.port}")` },
    });
    expect(state.nodes.query!.status).not.toBe('succeeded');
  });

  it('fails the node at once with InvalidConfig when a port renders out of range, without echoing the secret', async () => {
    const handle = await startTestRun(env, worker.taskQueue, templatedRunbook(), { sshPort: sshd.port, pgPort: 70000 });
    const state = await finalState(handle);
    expect(state.nodes.remote!.status).toBe('succeeded');
    expect(state.nodes.query).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { type: 'InvalidConfig', message: 'connection.port: Too big: expected number to be <=65535 (got 70000)' },
    });
    expect(await historyText(handle)).not.toContain(postgresPassword);
    // History keeps the last attempt of each activity: every one of them was the first (the node allows 4).
    const { events } = await handle.fetchHistory();
    const attempts = (events ?? []).flatMap((e) => (e.activityTaskStartedEventAttributes ? [e.activityTaskStartedEventAttributes.attempt] : []));
    expect(attempts).toEqual([1, 1]);
  });
});
