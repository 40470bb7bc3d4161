import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { processGone } from '../support/process-alive.js';

/** One long-running program of a namespace, with the file its output goes to. */
export interface Daemon {
  argv: readonly string[];
  log: string;
}

/**
 * A folder of the lab shown at another path inside a namespace (`mount --bind`), so every lab
 * host has its own `/srv/shop-api`, as real hosts do, while the machine's stays as it is.
 */
export interface Bind {
  source: string;
  /** Must exist on the machine; only the namespace sees `source` there. */
  target: string;
}

/** A process seen from outside its namespace: the global pid and the pid inside it. */
export interface NamespaceProcess {
  pid: number;
  nsPid: number;
  command: string;
}

/**
 * A group of programs in a PID namespace of their own (`unshare --pid --fork`). Why not a
 * process group: supervisord and runsv give every child a process group (or session) of its
 * own, and sshd sessions call setsid, so a process group would miss exactly the processes a
 * "host down" must take with it. A PID namespace holds them all, and when its first process
 * (pid 1, a small `sh`) dies the kernel kills every other process in it. That `sh` waits on its
 * stdin, a pipe from this process: if the test process dies, the pipe closes and the namespace
 * goes with it, so nothing outlives the test even when no teardown runs.
 *
 * With `binds` it is a mount namespace too (`--mount`, propagation `slave`: mounts made on the
 * machine later, such as another host's tmpfs, still show inside; the binds never show outside),
 * and the kernel drops the binds with the namespace's last process.
 */
export class PidNamespace {
  private unshare: ChildProcess | undefined;
  private init = 0;
  private inode = '';
  private exited: Promise<unknown> = Promise.resolve();

  constructor(
    readonly name: string,
    private readonly scriptFile: string,
    private readonly binds: readonly Bind[] = [],
  ) {}

  /** Starts `daemons` (each in the background, output appended to its log) as one namespace. */
  async start(daemons: readonly Daemon[]): Promise<void> {
    if (this.running) throw new Error(`${this.name} is already running`);
    const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;
    writeFileSync(
      this.scriptFile,
      [
        '#!/bin/sh',
        `# pid 1 of ${this.name}'s PID namespace; everything below dies with it.`,
        ...this.binds.map((b) => `mount --bind -- ${quote(b.source)} ${quote(b.target)} || { echo ${quote(`cannot bind ${b.source} on ${b.target}`)}; exit 1; }`),
        ...daemons.map((d) => `${d.argv.map(quote).join(' ')} >>${quote(d.log)} 2>&1 &`),
        'echo started',
        // Until the lab closes our stdin (or its process dies): then pid 1 exits and the kernel kills the rest.
        'read _ || true',
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    const mount = this.binds.length > 0 ? ['--mount', '--propagation', 'slave'] : [];
    const child = spawn('unshare', ['--pid', '--fork', '--kill-child', ...mount, '--', '/bin/sh', this.scriptFile], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.unshare = child;
    this.exited = new Promise((resolve) => child.once('exit', resolve));
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c));
    child.stderr!.on('data', (c: Buffer) => (output += c));
    for (let i = 0; !output.includes('started'); i++) {
      if (child.exitCode !== null || i > 300) throw new Error(`${this.name}: its namespace did not start: ${output}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    this.init = Number(readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(' ')[0]);
    this.inode = readlinkSync(`/proc/${this.init}/ns/pid`);
  }

  get running(): boolean {
    return this.unshare !== undefined && this.unshare.exitCode === null && this.unshare.signalCode === null;
  }

  /** Every process in the namespace now, found by its namespace in /proc (never by name). */
  processes(): NamespaceProcess[] {
    if (!this.inode) return [];
    const found: NamespaceProcess[] = [];
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        if (readlinkSync(`/proc/${entry}/ns/pid`) !== this.inode) continue;
        const status = readFileSync(`/proc/${entry}/status`, 'utf8');
        if (/^State:\s+Z/m.test(status)) continue;
        const nsPids = /^NSpid:\s+(.*)$/m.exec(status)?.[1]?.trim().split(/\s+/) ?? [];
        const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
        found.push({ pid: Number(entry), nsPid: Number(nsPids[nsPids.length - 1]), command });
      } catch {
        // Gone while we looked.
      }
    }
    return found;
  }

  /** Kills the namespace at once (SIGKILL to its pid 1: a power cut) and waits until none of its processes is left. */
  async kill(): Promise<void> {
    if (!this.unshare) return;
    if (this.running) {
      try {
        process.kill(this.init, 'SIGKILL');
      } catch {
        // Already gone.
      }
      this.unshare.stdin!.end();
    }
    await this.exited;
    await processGone(this.init);
    for (let i = 0; i < 100 && this.processes().length > 0; i++) await new Promise((r) => setTimeout(r, 50));
    const left = this.processes();
    if (left.length > 0) throw new Error(`${this.name}: processes left after kill: ${left.map((p) => `${p.pid} ${p.command}`).join('; ')}`);
  }
}
