import { spawn, type ChildProcess } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { searchAttributes } from '@runwright/runbook';
import { describeListener, descendsFrom, listenerOn } from './supervisor/listener.js';

export interface DevServerOptions {
  cli: string;
  ip?: string;
  port: number;
  /** Web UI port; without one the server runs headless. */
  uiPort?: number;
  /** SQLite file that keeps the server's state across restarts; in memory without one. */
  dbFile?: string;
  namespace?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Where the server's own output goes; ignored when left out. */
  onOutput?: (line: string) => void;
  readyTimeoutMs?: number;
  /** Run in its own process group, so a terminal's Ctrl-C reaches only whoever started it. */
  detached?: boolean;
}

export interface DevServer {
  address: string;
  uiUrl?: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Stops a child: SIGTERM, then SIGKILL if it has not exited within the grace period. */
export async function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * Waits until the namespace answers on `address` — and makes sure the answer comes from `server`:
 * a Temporal server already listening on the port would answer just as well, and Runwright would
 * then be using someone else's server that can go away at any time.
 */
export async function waitUntilReady(address: string, namespace: string, server: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const port = Number(address.slice(address.lastIndexOf(':') + 1));
  let lastError: unknown;
  const exited = () => server.exitCode !== null || server.signalCode !== null;
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`the Temporal dev server exited (${server.signalCode ?? `code ${server.exitCode}`}) while starting`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
      } finally {
        await connection.close();
      }
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 250));
      continue;
    }
    const holder = listenerOn(port);
    if (holder && server.pid !== undefined && !descendsFrom(holder.pid, server.pid)) {
      throw new Error(`port ${port} answered, but not from the dev server just started (pid ${server.pid}); the port ${describeListener(holder)}`);
    }
    if (exited()) throw new Error(`the Temporal dev server exited (${server.signalCode ?? `code ${server.exitCode}`}) while starting; something else answers on port ${port}`);
    return;
  }
  throw new Error(`the Temporal dev server at ${address} was not ready within ${timeoutMs} ms: ${String(lastError)}`);
}

/** The command line of `temporal server start-dev` with Runwright's search attributes registered. */
export function devServerArgs(options: Omit<DevServerOptions, 'cli' | 'onOutput' | 'readyTimeoutMs' | 'detached'>): string[] {
  const ip = options.ip ?? '127.0.0.1';
  const args = ['server', 'start-dev', '--ip', ip, '--port', String(options.port), '--namespace', options.namespace ?? 'default'];
  args.push('--log-level', options.logLevel ?? 'warn');
  if (options.uiPort) args.push('--ui-port', String(options.uiPort));
  else args.push('--headless');
  if (options.dbFile) args.push('--db-filename', options.dbFile);
  for (const attribute of Object.values(searchAttributes)) {
    args.push('--search-attribute', `${attribute.name}=${attribute.type}`);
  }
  return args;
}

/**
 * Starts `temporal server start-dev` with Runwright's search attributes registered, and waits
 * until its namespace answers. We wait ourselves: the SDK's own start-up wait is too short on
 * small machines.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const ip = options.ip ?? '127.0.0.1';
  const namespace = options.namespace ?? 'default';
  const args = devServerArgs(options);

  const child = spawn(options.cli, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: options.detached ?? false });
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) if (line.trim()) options.onOutput?.(line);
    });
  }
  const address = `${ip}:${options.port}`;
  try {
    await waitUntilReady(address, namespace, child, options.readyTimeoutMs ?? 60_000);
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
  return {
    address,
    ...(options.uiPort && { uiUrl: `http://${ip}:${options.uiPort}` }),
    process: child,
    stop: () => stopProcess(child),
  };
}
