// `npm start` as a user runs it: embedded Temporal dev server, worker and API in one command;
// Ctrl-C stops everything; starting again keeps earlier runs (the SQLite file), and a run
// that was waiting at a checkpoint carries on after the restart.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../support/free-port.js';

const root = resolve(import.meta.dirname, '../../..');
let token = '';
let dataDir: string;
let ports: { api: number; temporal: number; ui: number };
let launcher: ChildProcess | undefined;
let output = '';

function startLauncher(): ChildProcess {
  // Its own process group, like a terminal's foreground job: Ctrl-C is SIGINT to the group.
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: '',
      RUNWRIGHT_DATA_DIR: dataDir,
      RUNWRIGHT_API_PORT: String(ports.api),
      RUNWRIGHT_TEMPORAL_PORT: String(ports.temporal),
      RUNWRIGHT_TEMPORAL_UI_PORT: String(ports.ui),
      RUNWRIGHT_LOG_FORMAT: 'json',
      RUNWRIGHT_BOOTSTRAP_TOKEN: '',
    },
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return child;
}

async function waitForHealth(): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      const response = await fetch(`http://127.0.0.1:${ports.api}/healthz`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`npm start never became healthy:\n${output}`);
}

async function ctrlC(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  process.kill(-child.pid!, 'SIGINT');
  return exited;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), done(true)));
    socket.once('error', () => done(false));
  });
}

async function api(method: string, path: string, body?: unknown) {
  const response = await fetch(`http://127.0.0.1:${ports.api}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function runState(runId: string, until: (status: string) => boolean) {
  for (let i = 0; i < 300; i++) {
    const { status, body } = await api('GET', `/api/runs/${runId}`);
    if (status === 200 && until(body.state.status)) return body;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`run ${runId} never reached the expected state`);
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'runwright-start-'));
  ports = { api: await freePort(), temporal: await freePort(), ui: await freePort() };
});

afterAll(async () => {
  if (launcher && launcher.exitCode === null) await ctrlC(launcher);
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('runs everything in one command, stops on Ctrl-C, and keeps runs across a restart', async () => {
    launcher = startLauncher();
    await waitForHealth();
    expect(output).toContain(`Temporal dev server on 127.0.0.1:${ports.temporal}, Web UI at http://127.0.0.1:${ports.ui}`);
    expect(output).toContain(`editor and API: http://127.0.0.1:${ports.api}`);
    expect(await portOpen(ports.ui)).toBe(true);
    // First start: no token exists, so an admin token is created and printed once.
    token = /shown this once:\n(?:\[api\] *\n)*\[api\] +(\S+)/.exec(output)?.[1] ?? '';
    expect(token).not.toBe('');
    const list = await api("GET", "/api/runbooks");
    expect(list.status, JSON.stringify(list.body) + output).toBe(200);
    const editor = await fetch(`http://127.0.0.1:${ports.api}/`);
    expect(await editor.text()).toContain('<div id="root">');

    const started = await api('POST', '/api/runbooks/hello/runs', { params: { healthUrl: `http://127.0.0.1:${ports.api}/healthz` } });
    expect(started.status).toBe(201);
    const { runId, planHash } = started.body;
    await runState(runId, (s) => s === 'waiting');

    expect(await ctrlC(launcher)).toBe(0);
    for (const port of Object.values(ports)) expect(await portOpen(port)).toBe(false);
    expect(existsSync(join(dataDir, 'temporal.sqlite'))).toBe(true);

    output = '';
    launcher = startLauncher();
    await waitForHealth();
    expect(output).not.toContain('shown this once');
    const resumed = await runState(runId, (s) => s === 'waiting');
    expect(resumed.state.nodes['say-hello'].status).toBe('succeeded');
    const decided = await api('POST', `/api/runs/${runId}/checkpoints/confirm/decision`, {
      decision: 'approve',
      planHash,
      checklist: { 'greeting-read': true },
    });
    expect(decided.status).toBe(200);
    const done = await runState(runId, (s) => s === 'succeeded');
    expect(done.state.nodes['check-health'].output.status).toBe(200);
    expect(await ctrlC(launcher)).toBe(0);
  });
});
