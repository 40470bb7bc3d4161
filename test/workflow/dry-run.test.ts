import { WorkflowFailedError } from '@temporalio/client';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edge, finalState, interpreterHarness } from './interpreter-harness.js';

let harness: Awaited<ReturnType<typeof interpreterHarness>>;
let folder: string;
beforeAll(async () => {
  harness = await interpreterHarness();
  folder = await mkdtemp(join(tmpdir(), 'runwright-dry-run-'));
});
afterAll(async () => {
  await harness?.stop();
  await rm(folder, { recursive: true, force: true });
});

describe('dry-run mode', () => {
  it('records what each action would do, with templates rendered, and runs none of them', async () => {
    const marker = join(folder, 'would-be-created');
    const { handle } = await harness.start(
      {
        parameters: { target: { type: 'string' }, hosts: { type: 'list' } },
        nodes: [
          { id: 'create', kind: 'shell', config: { command: ['touch', '{{ params.target }}'] } },
          // Nothing listens here: a real request would fail the run.
          { id: 'notify', kind: 'http', config: { method: 'POST', url: 'http://127.0.0.1:9/hooks/{{ params.hosts[0] }}', body: { text: 'created' } } },
          { id: 'soak', kind: 'observe', config: { duration: '1h', guards: [{ name: 'up', check: { kind: 'shell', config: { command: ['false'] } } }] } },
          { id: 'fleet', kind: 'forEach', config: { items: 'params.hosts' } },
          { id: 'per-host', kind: 'shell', parent: 'fleet', config: { command: ['touch', '{{ params.target }}-{{ item }}'] } },
        ],
        edges: [edge('create', 'notify'), edge('notify', 'soak'), edge('soak', 'fleet')],
      },
      { target: marker, hosts: ['db-1', 'db-2'] },
      { dryRun: true },
    );
    const { state, error } = await finalState(handle);
    expect(error).toBeUndefined();
    expect(state.dryRun).toBe(true);
    expect(state.nodes.create).toMatchObject({ status: 'succeeded', attempts: 0, output: { dryRun: true, kind: 'shell', wouldRun: { command: ['touch', marker] } } });
    expect(state.nodes.notify!.output).toMatchObject({ dryRun: true, kind: 'http', wouldRun: { method: 'POST', url: 'http://127.0.0.1:9/hooks/db-1' } });
    expect(state.nodes.soak!.output).toEqual({ polls: 1, windowMs: 3_600_000 });
    expect(state.nodes.fleet!.progress!.items).toEqual({ 'db-1': 'succeeded', 'db-2': 'succeeded' });
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(`${marker}-db-1`)).toBe(false);
  });

  // The same typed fields the templated-fields scenario runs for real: rendered from parameters,
  // then checked with the kind's schema, here without any server behind them.
  const templated = (extraNodes: Record<string, unknown>[] = []) => ({
    parameters: { site: { type: 'string', default: '127.0.0.1' }, sshPort: { type: 'number', default: 22 }, pgPort: { type: 'number', default: 5432 } },
    secrets: ['DEPLOY_KEY', 'PG_PASSWORD'],
    nodes: [
      { id: 'remote', kind: 'ssh', config: { hosts: ['{{ params.site }}:{{ params.sshPort }}'], user: 'root', privateKey: { secret: 'DEPLOY_KEY' }, command: ['true'] } },
      {
        id: 'query',
        kind: 'postgres.sql',
        config: { connection: { host: '127.0.0.1', port: '{{ params.pgPort }}', user: 'postgres', password: { secret: 'PG_PASSWORD' } }, sql: 'SELECT 1' },
      },
      ...extraNodes,
    ],
    edges: [edge('remote', 'query')],
  });

  it('fails a node whose rendered host has a space, with the InvalidConfig a real run reports, and rehearses nothing after it', async () => {
    const { handle } = await harness.start(templated(), { site: 'bad host' }, { dryRun: true });
    const { state, error } = await finalState(handle);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(state.status).toBe('failed');
    expect(state.nodes.remote).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { type: 'InvalidConfig', message: 'hosts.0: host, host:port or [v6]:port (got "bad host:22")' },
    });
    expect(state.nodes.query!.status).toBe('skipped');
    expect(state.error).toMatchObject({ nodeId: 'remote' });
  });

  it('fails a node whose rendered port is out of range, naming the field and never echoing a secret field', async () => {
    const { handle } = await harness.start(templated(), { pgPort: 70000 }, { dryRun: true });
    const { state } = await finalState(handle);
    expect(state.nodes.remote!.status).toBe('succeeded');
    expect(state.nodes.query).toMatchObject({
      status: 'failed',
      error: { type: 'InvalidConfig', message: 'connection.port: Too big: expected number to be <=65535 (got 70000)' },
    });
    const fine = await harness.start(templated(), { pgPort: 6432 }, { dryRun: true });
    const { state: rehearsed, error } = await finalState(fine.handle);
    expect(error).toBeUndefined();
    expect(rehearsed.nodes.query!.output).toMatchObject({ dryRun: true, wouldRun: { connection: { port: 6432, password: { secret: 'PG_PASSWORD' } } } });
  });

  it('checks the config of every forEach item: the item whose host is bad fails, the others rehearse', async () => {
    const { handle } = await harness.start(
      {
        parameters: { hosts: { type: 'list' } },
        nodes: [
          { id: 'fleet', kind: 'forEach', config: { items: 'params.hosts', failureThreshold: 1 } },
          { id: 'restart', kind: 'ssh', parent: 'fleet', config: { hosts: ['{{ item }}'], user: 'root', privateKeyFile: '/etc/runwright/deploy-key', command: ['systemctl', 'restart', 'app'] } },
        ],
      },
      { hosts: ['db-1', 'db 2', 'db-3'] },
      { dryRun: true },
    );
    const { state, error } = await finalState(handle);
    expect(error).toBeUndefined();
    expect(state.nodes.fleet!.progress!.items).toEqual({ 'db-1': 'succeeded', 'db 2': 'failed', 'db-3': 'succeeded' });
    expect(state.nodes.fleet!.output).toMatchObject({ failed: 1, failures: [{ key: 'db 2', error: 'restart: hosts.0: host, host:port or [v6]:port (got "db 2")' }] });
  });
});
