// The worker process stops when told to, however unreachable Temporal is. Two ways it did not:
// a SIGTERM before it polled (connecting, bundling the workflow code) was swallowed by the SDK,
// which only stops workers already running, so the process ran on until the connect gave up;
// and after draining it waited 30 s for a silent server to acknowledge its shutdown.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureTemporalCli } from '../../../scripts/temporal-cli.js';
import { startDevServer, type DevServer } from '../../../scripts/temporal-dev-server.js';
import { eventually } from '../../support/eventually.js';
import { freePort } from '../../support/free-port.js';

const root = resolve(import.meta.dirname, '../../..');
let worker: ChildProcess | undefined;
let server: DevServer | undefined;
let output = '';

function startWorker(address: string): ChildProcess {
  output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/src/main.ts'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TEMPORAL_ADDRESS: address, RUNWRIGHT_TASK_QUEUE: `test-${randomUUID()}`, RUNWRIGHT_LOG_FORMAT: 'json' },
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return child;
}

/** Whether process `pid` holds an established TCP connection to `port` (read from /proc). */
function connectedTo(pid: number, port: number): boolean {
  const inodes = new Set<string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] === '01' && parseInt(fields[2]?.split(':')[1] ?? '', 16) === port) inodes.add(fields[9]!);
    }
  }
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return inodes.has(/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1] ?? '');
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((done) => child.once('exit', (code) => done(code)));
}

afterEach(async () => {
  if (worker && worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
  worker = undefined;
  if (server) {
    process.kill(server.process.pid!, 'SIGCONT');
    await server.stop();
    server = undefined;
  }
});

describe('the worker process', () => {
  it('stops on SIGTERM while it is still connecting to a server that does not answer', async () => {
    server = await startDevServer({ cli: ensureTemporalCli(), port: await freePort(), readyTimeoutMs: 120_000 });
    // Frozen: the connection is accepted and nothing answers; the SDK's connect waits about 30 s.
    process.kill(server.process.pid!, 'SIGSTOP');
    worker = startWorker(server.address);
    const port = Number(server.address.split(':')[1]);
    await eventually(async () => connectedTo(worker!.pid!, port), Boolean, { what: 'the worker connecting', attempts: 1_200, detail: () => output });
    const since = Date.now();
    worker.kill('SIGTERM');
    expect(await exitOf(worker), output).toBe(0);
    console.log(`[figure] worker stop while connecting: ${((Date.now() - since) / 1000).toFixed(1)} s`);
    expect(output).toContain('worker stopping before it polled anything');
  });

  it('stops on SIGTERM when the server stops answering, without waiting out the goodbye call', async () => {
    server = await startDevServer({ cli: ensureTemporalCli(), port: await freePort(), readyTimeoutMs: 120_000 });
    worker = startWorker(server.address);
    await eventually(async () => output, (text) => text.includes('worker polling task queue'), { what: 'the worker polling', attempts: 1_200 });
    // Frozen: connections stay open and nothing answers, as in a network partition.
    process.kill(server.process.pid!, 'SIGSTOP');
    const since = Date.now();
    worker.kill('SIGTERM');
    expect(await exitOf(worker)).toBe(0);
    console.log(`[figure] worker stop with the server frozen: ${((Date.now() - since) / 1000).toFixed(1)} s`);
    expect(output).toContain('running steps get 5 s to finish');
    expect(output).toContain("the Temporal server did not acknowledge the worker's shutdown; exiting, as nothing is in flight");
  });
});
