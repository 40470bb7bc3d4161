// The launcher's hold on its children. Each child leads its own process group (so a terminal's
// Ctrl-C reaches only the launcher, which stops them in order) and is announced to the reaper,
// which stops it if the launcher dies without doing so. Stopping is by group, SIGTERM then
// SIGKILL after the child's grace period, and it ends only when the group is gone.
import { spawn, type ChildProcess } from 'node:child_process';
import { killGroupsNow, stopGroup, type GroupTarget } from './stop-group.js';

export interface Command {
  command: string;
  args: string[];
}

export interface ChildSpec extends Command {
  name: string;
  graceMs: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Each line the child prints, as it arrives. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

interface Supervised extends GroupTarget {
  child: ChildProcess;
}

export interface SupervisorOptions {
  /** How to run the reaper (scripts/supervisor/reaper.ts) and the file it logs to. */
  reaper: Command;
  say: (line: string) => void;
  /** A child (or the reaper) ended while nobody asked it to. */
  onUnexpectedExit: (name: string, how: string) => void;
}

function splitLines(stream: NodeJS.ReadableStream, each: (line: string) => void): void {
  let buffered = '';
  stream.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) each(line);
  });
  stream.on('end', () => {
    if (buffered) each(buffered);
  });
}

const how = (code: number | null, signal: NodeJS.Signals | null) => (signal ? `killed by ${signal}` : `exit code ${code}`);

export class Supervisor {
  private readonly children: Supervised[] = [];
  private readonly reaper: ChildProcess;
  private stopping = false;

  constructor(private readonly options: SupervisorOptions) {
    // Started first, before any child exists to be lost. Its own group: Ctrl-C is not for it.
    this.reaper = spawn(options.reaper.command, options.reaper.args, { stdio: ['pipe', 'ignore', 'inherit'], detached: true });
    this.reaper.once('exit', (code, signal) => {
      if (!this.stopping) options.onUnexpectedExit('reaper', how(code, signal));
    });
    // A reaper that died makes writes fail; the exit handler above says so.
    this.reaper.stdin!.on('error', () => {});
    options.say(`reaper started (pid ${this.reaper.pid}): if this launcher dies, it stops every child`);
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  start(spec: ChildSpec): ChildProcess {
    const child = spawn(spec.command, spec.args, { cwd: spec.cwd, env: spec.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    if (child.pid === undefined) throw new Error(`could not start ${spec.name} (${spec.command})`);
    const supervised: Supervised = { name: spec.name, pgid: child.pid, graceMs: spec.graceMs, child };
    this.children.push(supervised);
    // Announced at once, in the same tick as the spawn: there is no moment the reaper does not know it.
    this.reaper.stdin!.write(`watch ${child.pid} ${spec.graceMs} ${spec.name}\n`);
    splitLines(child.stdout!, (line) => spec.onLine?.(line, 'stdout'));
    splitLines(child.stderr!, (line) => spec.onLine?.(line, 'stderr'));
    child.once('exit', (code, signal) => {
      if (!this.stopping) this.options.onUnexpectedExit(spec.name, how(code, signal));
    });
    this.options.say(`${spec.name} started (pid ${child.pid}, process group ${child.pid})`);
    return child;
  }

  /** Stops every child, newest first, each bounded by its grace period; then lets the reaper go. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    for (const target of [...this.children].reverse()) {
      const { ms, killed } = await stopGroup(target);
      this.reaper.stdin!.write(`forget ${target.pgid}\n`);
      this.options.say(`${target.name} stopped in ${(ms / 1000).toFixed(1)} s${killed ? ` (killed: it did not stop within ${target.graceMs / 1000} s)` : ''}`);
    }
    await this.releaseReaper();
  }

  /** The impatient path (a second Ctrl-C): SIGKILL to every group now. */
  async killAll(): Promise<void> {
    this.stopping = true;
    await killGroupsNow(this.children);
    for (const target of this.children) this.reaper.stdin!.write(`forget ${target.pgid}\n`);
    this.options.say(`killed ${this.children.map((c) => c.name).join(', ')}`);
    await this.releaseReaper();
  }

  /** With nothing left to watch, the reaper exits as soon as its stdin closes; wait for that. */
  private async releaseReaper(): Promise<void> {
    if (this.reaper.exitCode !== null || this.reaper.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.reaper.once('exit', () => resolve()));
    this.reaper.stdin!.end();
    const timer = setTimeout(() => this.reaper.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}
