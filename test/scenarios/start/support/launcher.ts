// Drives `npm start`'s launcher as a terminal would: its own process group (Ctrl-C is SIGINT to
// the group), its own data folder and free ports. Records the pids the launcher reports for the
// reaper and each child, so a test checks exactly those processes and groups — never by name:
// other engineers' Temporal servers and node processes run beside these.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eventually } from '../../../support/eventually.js';
import { freePort } from '../../../support/free-port.js';

const root = resolve(import.meta.dirname, '../../../..');
export const bootstrapToken = 'rw_test_launcher_0123456789abcdefghijklmnop';

export interface LauncherPorts {
  api: number;
  temporal: number;
  ui: number;
}

interface ProcessRow {
  pid: number;
  ppid: number;
  pgid: number;
  state: string;
  /** When it started (clock ticks since boot): with the pid, names one process even if the pid is reused. */
  startTime: string;
}

function readRow(pid: number): ProcessRow | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pid, state: fields[0]!, ppid: Number(fields[1]), pgid: Number(fields[2]), startTime: fields[19]! };
  } catch {
    return undefined;
  }
}

function processRows(): ProcessRow[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readRow(Number(name)))
    .filter((row): row is ProcessRow => row !== undefined && row.state !== 'Z');
}

/** Live processes under `pid` (children, grandchildren…), whatever group they are in. */
export function descendantsOf(pid: number): number[] {
  const rows = processRows();
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const row of rows) if (row.ppid === parent && !found.includes(row.pid)) (found.push(row.pid), queue.push(row.pid));
  }
  return found;
}

export function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return '';
  }
}

export function portOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), done(true)));
    socket.once('error', () => done(false));
  });
}

export async function freePorts(): Promise<LauncherPorts> {
  return { api: await freePort(), temporal: await freePort(), ui: await freePort() };
}

export class Launcher {
  output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /**
   * Every process seen under the launcher: pid → its group, start time and latest command line
   * (a child first seen between fork and exec still shows its parent's command).
   */
  private readonly recorded = new Map<number, { pgid: number; startTime: string; command: string }>();
  private recording: ReturnType<typeof setInterval>;

  private constructor(
    readonly child: ChildProcess,
    readonly dataDir: string,
    readonly ports: LauncherPorts,
  ) {
    const take = (chunk: Buffer) => (this.output += chunk.toString());
    child.stdout!.on('data', take);
    child.stderr!.on('data', take);
    this.record();
    // Recorded from /proc as they appear, so a launcher that says nothing about its children
    // (or dies) cannot hide one; a step's command under the worker is recorded the same way.
    this.recording = setInterval(() => this.record(), 100);
    this.exited = new Promise((done) =>
      child.once('exit', (code, signal) => {
        clearInterval(this.recording);
        done({ code, signal });
      }),
    );
  }

  /** Adds every live descendant of the launcher, and of what was recorded before, to the record. */
  record(): void {
    const roots = [this.child.pid!, ...[...this.recorded].filter(([pid, p]) => readRow(pid)?.startTime === p.startTime).map(([pid]) => pid)];
    for (const root of roots) {
      for (const pid of [root, ...descendantsOf(root)]) {
        const row = readRow(pid);
        if (!row || row.state === 'Z') continue;
        const known = this.recorded.get(pid);
        if (known && known.startTime !== row.startTime) continue; // a reused pid: not ours
        this.recorded.set(pid, { pgid: row.pgid, startTime: row.startTime, command: commandOf(pid) });
      }
    }
  }

  /** Starts `node --import tsx scripts/start.ts` (what `npm start` runs after set-up and build). */
  static async start(options: { ports?: LauncherPorts; env?: Record<string, string>; dataDir?: string } = {}): Promise<Launcher> {
    const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'runwright-start-')));
    const ports = options.ports ?? (await freePorts());
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: '',
        RUNWRIGHT_PORTS: '',
        RUNWRIGHT_DATA_DIR: dataDir,
        RUNWRIGHT_API_PORT: String(ports.api),
        RUNWRIGHT_TEMPORAL_PORT: String(ports.temporal),
        RUNWRIGHT_TEMPORAL_UI_PORT: String(ports.ui),
        RUNWRIGHT_LOG_FORMAT: 'json',
        RUNWRIGHT_BOOTSTRAP_TOKEN: bootstrapToken,
        ...options.env,
      },
    });
    return new Launcher(child, dataDir, ports);
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The one recorded process whose command line matches, e.g. /server start-dev/ for the dev server. */
  pidOf(command: RegExp): number {
    this.record();
    const found = [...this.recorded].filter(([, p]) => command.test(p.command)).map(([pid]) => pid);
    if (found.length !== 1) throw new Error(`${found.length} processes under the launcher match ${command}:\n${this.output}`);
    return found[0]!;
  }

  /** Waits until a process whose command line matches has been recorded under the launcher. */
  async waitForRecorded(command: RegExp): Promise<number> {
    const found = await eventually(
      async () => (this.record(), [...this.recorded].find(([, p]) => command.test(p.command))?.[0]),
      (pid) => pid !== undefined,
      { what: `a process matching ${command} under the launcher`, attempts: 600, detail: () => this.output },
    );
    return found!;
  }

  /** The process groups of everything recorded (each child of the launcher leads its own). */
  get groups(): number[] {
    return [...new Set([...this.recorded.values()].map((p) => p.pgid))];
  }

  private survivorRows(): ProcessRow[] {
    const groups = new Set(this.groups);
    return processRows().filter((row) => {
      const known = this.recorded.get(row.pid);
      // A recorded pid counts only while it is the same process (same start time).
      return (known !== undefined && known.startTime === row.startTime) || groups.has(row.pgid);
    });
  }

  /** Processes still alive that must not be: every recorded pid, and any member of a recorded group. */
  survivors(): string[] {
    return this.survivorRows().map((row) => `pid ${row.pid} (group ${row.pgid}): ${commandOf(row.pid)}`);
  }

  async waitForOutput(pattern: RegExp | string, what = String(pattern)): Promise<void> {
    await eventually(
      async () => (typeof pattern === 'string' ? this.output.includes(pattern) : pattern.test(this.output)),
      Boolean,
      { what, attempts: 1_800, detail: () => this.output },
    );
  }

  /** Where the launcher said the API listens; undefined until it said so. */
  get announcedApiUrl(): string | undefined {
    const port = /editor and API: http:\/\/[^:]+:(\d+)/.exec(this.output)?.[1];
    return port && `http://127.0.0.1:${port}`;
  }

  get apiUrl(): string {
    const url = this.announcedApiUrl;
    if (!url) throw new Error(`the launcher has not said where the API listens:\n${this.output}`);
    return url;
  }

  /** Waits (up to three minutes: a cold start on a busy machine) for GET /healthz to answer 200. */
  async waitHealthy(): Promise<void> {
    await eventually(
      async () => {
        if (!this.running) throw new Error(`the launcher exited before it was healthy:\n${this.output}`);
        const url = this.announcedApiUrl;
        // Bounded: a port held by something that never answers must not hang the wait.
        return url ? fetch(`${url}/healthz`, { signal: AbortSignal.timeout(10_000) }).then((r) => r.status, () => 0) : 0;
      },
      (status) => status === 200,
      { what: 'npm start healthy', attempts: 1_800, detail: () => this.output },
    );
  }

  async api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const response = await fetch(`${this.apiUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bootstrapToken}` },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: await response.json().catch(() => undefined) };
  }

  /** Ctrl-C in the terminal: SIGINT to the launcher's process group. */
  ctrlC(): void {
    process.kill(-this.pid, 'SIGINT');
  }

  /** Waits until no recorded process or group member survives; returns how long that took. */
  async waitAllGone(since: number): Promise<number> {
    await eventually(async () => this.survivors(), (left) => left.length === 0, { what: 'every process gone', attempts: 900, detail: () => this.output });
    return Date.now() - since;
  }

  /** Leaves nothing behind whatever a test did: SIGKILL to each survivor by pid, then the data folder. */
  async cleanUp(): Promise<void> {
    for (const row of this.survivorRows()) {
      try {
        process.kill(row.pid, 'SIGCONT');
        process.kill(row.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    await rm(this.dataDir, { recursive: true, force: true });
  }
}
