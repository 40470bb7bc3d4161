import { createHash, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProtocol, type RunInput } from '@runwright/runbook';
import { AddressPolicy } from '../../../workers/src/config/address-policy.js';
import { envSecretSource } from '../../../workers/src/secrets/env-secret-source.js';
import { historyText } from '../../support/history-text.js';
import { startHttpServer } from '../../support/http-server.js';
import { finalState } from '../../support/run-helpers.js';
import { shippedRunbook } from '../../support/runbooks.js';
import { connectToTestServer, startTestWorker, type RunningWorker } from '../../support/temporal.js';
import { postgresPassword } from '../steps/servers/postgres.js';
import { startSocketPostgres, type SocketPostgres } from './socket-postgres.js';

// The shipped backup-verify runbook, run for real: pg_dump, a scratch restore and the
// comparison happen against a real cluster, and the report reaches a real webhook.

let env: TestWorkflowEnvironment;
let worker: RunningWorker;
let folder: string;
let server: SocketPostgres;
let hook: Awaited<ReturnType<typeof startHttpServer>>;
const bodies: unknown[] = [];

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'runwright-backup-verify-'));
  // The server runs as postgres and must traverse this folder to its own.
  chmodSync(folder, 0o755);
  server = startSocketPostgres(join(folder, 'cluster'));
  server.psql('CREATE DATABASE shop');
  server.psql(
    `CREATE TABLE orders (id serial PRIMARY KEY, note text);
     INSERT INTO orders (note) SELECT 'order ' || g FROM generate_series(1, 500) g;
     CREATE TABLE customers (id serial PRIMARY KEY, name text);
     INSERT INTO customers (name) SELECT 'customer ' || g FROM generate_series(1, 40) g;`,
    'shop',
  );
  server.psql('CREATE DATABASE empty');
  hook = await startHttpServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      bodies.push(JSON.parse(text));
      response.writeHead(204).end();
    });
  });
  env = await connectToTestServer();
  worker = await startTestWorker(env, {
    kinds: ['shell', 'postgres.backup', 'notify'],
    activityConfig: {
      secrets: envSecretSource({ RUNWRIGHT_SECRET_BACKUP_DB_PASSWORD: postgresPassword }),
      addresses: new AddressPolicy(['127.0.0.0/8']),
    },
  });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await hook?.close();
  server?.stop();
  await env?.teardown();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

async function runBackup(database: string, targetDir: string) {
  const { runbook, planHash } = shippedRunbook('backup-verify');
  const params = { dbHost: server.socketDir, database, dbUser: 'postgres', targetDir, minFreeMb: 1, notifyWebhookUrl: `${hook.url}/backups` };
  const handle = await env.client.workflow.start(runProtocol.workflowType, {
    taskQueue: worker.taskQueue,
    workflowId: `backup-verify-${randomUUID()}`,
    args: [{ runbook, planHash, params, trigger: { type: 'manual', by: 'nightly' } } satisfies RunInput],
  });
  return { handle, state: await finalState(handle) };
}

describe('backup-verify against a real PostgreSQL cluster', () => {
  it('dumps the database, proves the dump restores with the same row counts, and reports file and checksum', async () => {
    const target = join(folder, 'backups');
    const { handle, state } = await runBackup('shop', target);
    expect(state.status).toBe('succeeded');
    expect(state.nodes['check-free-space']!.output).toMatchObject({ exitCode: 0, stdout: expect.stringMatching(/^free_mb=\d+/) });
    const backup = state.nodes['dump-and-verify']!.output as { file: string; sizeBytes: number; sha256: string; verified: boolean; tables: Record<string, number> };
    expect(backup).toMatchObject({ verified: true, tables: { 'public.orders': 500, 'public.customers': 40 } });
    expect(backup.file.startsWith(`${target}/`)).toBe(true);
    const bytes = readFileSync(backup.file);
    expect(backup.sizeBytes).toBe(bytes.length);
    expect(backup.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    // The scratch copy it restored into is gone again.
    expect(server.psql(`SELECT count(*) FROM pg_database WHERE datname LIKE 'runwright_verify_%'`)).toBe('0');

    expect(hook.requests.at(-1)).toMatchObject({ method: 'POST', url: '/backups' });
    const report = JSON.stringify(bodies.at(-1));
    expect(report).toContain('Verified backup of shop');
    expect(report).toContain(backup.file);
    expect(report).toContain(backup.sha256);
    expect(report).toContain('2 tables');
    // The password was looked up on the worker and never entered the history.
    expect(await historyText(handle)).not.toContain(postgresPassword);
  });

  it('fails without a report when the restored copy holds no tables, and keeps no dump', async () => {
    const target = join(folder, 'backups-empty');
    const reportsBefore = hook.requests.length;
    const { state } = await runBackup('empty', target);
    expect(state.status).toBe('failed');
    expect(state.nodes['dump-and-verify']).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { type: 'BackupVerificationFailed', message: expect.stringContaining('rows[0].tables > 0') },
    });
    expect(state.nodes.report!.status).toBe('skipped');
    expect(hook.requests.length).toBe(reportsBefore);
    expect(existsSync(target) ? readdirSync(target).filter((f) => f.endsWith('.dump')) : []).toEqual([]);
  });

  it('stops before dumping when the target folder lacks the free space asked for', async () => {
    const { runbook, planHash } = shippedRunbook('backup-verify');
    const target = join(folder, 'backups-full');
    const params = { dbHost: server.socketDir, database: 'shop', dbUser: 'postgres', targetDir: target, minFreeMb: 1e12, notifyWebhookUrl: `${hook.url}/backups` };
    const handle = await env.client.workflow.start(runProtocol.workflowType, {
      taskQueue: worker.taskQueue,
      workflowId: `backup-verify-${randomUUID()}`,
      args: [{ runbook, planHash, params, trigger: { type: 'manual', by: 'nightly' } } satisfies RunInput],
    });
    const state = await finalState(handle);
    expect(state.status).toBe('failed');
    expect(state.nodes['check-free-space']).toMatchObject({ status: 'failed', error: { message: expect.stringMatching(/MiB needed/) } });
    expect(state.nodes['dump-and-verify']!.status).toBe('skipped');
  });
});
