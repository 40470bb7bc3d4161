import { execFile, execFileSync } from 'node:child_process';
import { chownSync, closeSync, existsSync, lchownSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { portOpen } from '../scenarios/steps/servers/listening-process.js';
import { prepareSshd } from '../scenarios/steps/servers/sshd.js';
import { appName, appPort, buildRelease, switchCurrent, type AppFault } from './app/release.js';
import type { LoginUser } from './login-user.js';
import { nodeExporter, nodeExporterPort } from './node-exporter.js';
import { PidNamespace, type NamespaceProcess } from './pid-namespace.js';
import { runit } from './runit.js';
import { shQuote, type LabProgram, type ServiceManagerConfig, type Supervisor, type SupervisorKind } from './supervisor.js';
import { supervisord } from './supervisord.js';

export const sshPort = 22;

/** shop-api's folder as every host sees it (its own `srv/shop-api`, bound there in its mount namespace), as on a real fleet. */
export const appDirOnHost = `/srv/${appName}`;

/** How a lab host is asked for. */
export interface LabHostSpec {
  name: string;
  /** A group of hosts (`a`, `b`); issue 11 gives each site a worker. */
  site?: string;
  supervisor?: SupervisorKind;
  /** Runs shop-api (release `version`) under the supervisor; true by default. */
  app?: boolean;
  /** More programs under the host's supervisor (a database, say). */
  programs?: LabProgram[];
}

/** What a test or a runbook needs to reach a host over ssh as Runwright does. */
export interface LabSsh {
  host: string;
  port: number;
  user: string;
  privateKeyFile: string;
  /** The key's text: give it to a worker as a secret (`{ secret: NAME }`). */
  privateKey: string;
  knownHostsFile: string;
  /** The host key's fingerprint as `ssh-keygen -lf` prints it, for `hostKeys` pins. */
  hostKeyFingerprint: string;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** What a host shares with the whole lab. */
export interface LabShared {
  root: string;
  user: LoginUser;
  clientKeyFile: string;
  authorizedKeysFile: string;
  knownHostsFile: string;
  appVersion: string;
  dataSize: string;
}

/** The folders of one host: its own tree, as a machine's `/etc`, `/run`, `/var/log`, `/srv` would be. */
export interface LabHostPaths {
  root: string;
  etc: string;
  run: string;
  log: string;
  service: string;
  /** shop-api's folder: `releases/<version>/` and the `current` link the supervisor runs; the host sees it at `/srv/shop-api`. */
  app: string;
  /** A tmpfs of its own (`dataSize`), so a filesystem collector sees a per-host filesystem that fills up. */
  data: string;
}

/**
 * One lab host: a loopback address of its own with an sshd (port 22), a supervisor running its
 * programs (shop-api by default, bound to the address), and a node exporter (port 9100), all in
 * one PID namespace, so `down()` takes every one of them (and what they started) at once.
 */
export class LabHost {
  readonly paths: LabHostPaths;
  readonly supervisor: Supervisor;
  readonly ssh: LabSsh;
  private readonly namespace: PidNamespace;
  private readonly programs: LabProgram[] = [];
  private readonly sshdArgv: string[];
  private fills = 0;

  constructor(
    readonly spec: LabHostSpec,
    readonly address: string,
    private readonly shared: LabShared,
  ) {
    const root = join(shared.root, 'hosts', spec.name);
    this.paths = {
      root,
      etc: join(root, 'etc'),
      run: join(root, 'run'),
      log: join(root, 'log'),
      service: join(root, 'service'),
      app: join(root, 'srv', appName),
      data: join(root, 'data'),
    };
    for (const dir of Object.values(this.paths)) mkdirSync(dir, { recursive: true, mode: 0o755 });
    for (const owned of [this.paths.run, this.paths.log, this.paths.app, join(this.paths.app, 'releases')]) {
      mkdirSync(owned, { recursive: true, mode: 0o755 });
      chownSync(owned, shared.user.uid, shared.user.gid);
    }
    mkdirSync(join(this.paths.etc, 'ssh'), { recursive: true });
    const sshd = prepareSshd(join(this.paths.etc, 'ssh'), {
      addresses: [address],
      port: sshPort,
      authorizedKeysFile: shared.authorizedKeysFile,
      allowUsers: [shared.user.name],
    });
    this.sshdArgv = sshd.argv;
    this.ssh = {
      host: address,
      port: sshPort,
      user: shared.user.name,
      privateKeyFile: shared.clientKeyFile,
      privateKey: readFileSync(shared.clientKeyFile, 'utf8'),
      knownHostsFile: shared.knownHostsFile,
      hostKeyFingerprint: sshd.hostFingerprint,
    };
    const folders = { etc: this.paths.etc, run: this.paths.run, log: this.paths.log, service: this.paths.service };
    this.supervisor = (spec.supervisor ?? 'supervisord') === 'runit' ? runit(folders, shared.user) : supervisord(folders, shared.user);
    // The host sees its own app folder and supervisor config where a real host has them, so a
    // runbook's defaults (/srv/shop-api, /etc/supervisor/supervisord.conf) fit every lab host.
    const binds = [...(spec.app !== false ? [{ source: this.paths.app, target: appDirOnHost }] : []), ...this.supervisor.binds()];
    this.namespace = new PidNamespace(`lab host ${spec.name}`, join(root, 'init.sh'), binds);
    if (spec.app !== false) {
      this.installRelease(shared.appVersion, { activate: true });
      this.writeProgram({ name: appName, command: [process.execPath, join(this.paths.app, 'current', 'server.mjs'), '--listen', `${address}:${appPort}`] });
    }
    for (const program of spec.programs ?? []) this.writeProgram(program);
  }

  get name(): string {
    return this.spec.name;
  }

  get site(): string | undefined {
    return this.spec.site;
  }

  /** shop-api's base URL on this host. */
  get appUrl(): string {
    return `http://${this.address}:${appPort}`;
  }

  get isUp(): boolean {
    return this.namespace.running;
  }

  /** Mounts the data tmpfs (once; it outlives `down()` like a disk) and starts the host. */
  async start(): Promise<void> {
    // The bind's target on the machine: an empty folder, which only the hosts' namespaces fill.
    if (this.spec.app !== false) mkdirSync(appDirOnHost, { recursive: true, mode: 0o755 });
    if (!readFileSync('/proc/self/mounts', 'utf8').includes(` ${this.paths.data} `)) {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${this.shared.dataSize},mode=0755,uid=${this.shared.user.uid},gid=${this.shared.user.gid}`, `lab-${this.name}`, this.paths.data]);
    }
    await this.up();
  }

  /** Brings the host back (or up the first time) with the same keys, config and data; waits for sshd, its exporter and its app. */
  async up(): Promise<void> {
    await this.namespace.start([
      { argv: this.sshdArgv, log: join(this.paths.log, 'sshd.log') },
      this.supervisor.daemon(),
      nodeExporter(this.address, this.paths.data, join(this.paths.log, 'node-exporter.log')),
    ]);
    await this.waitListening([sshPort, nodeExporterPort, ...(this.spec.app !== false ? [appPort] : [])]);
  }

  /** The host loses power: every process on it is killed at once. */
  async down(): Promise<void> {
    await this.namespace.kill();
  }

  /** Every process running on the host now (global and in-host pids); empty when it is down. */
  processes(): NamespaceProcess[] {
    return this.namespace.processes();
  }

  private async waitListening(ports: number[]): Promise<void> {
    for (const port of ports) {
      for (let i = 0; !(await portOpen(port, this.address)); i++) {
        if (!this.namespace.running || i > 600) throw new Error(`${this.name}: nothing listens on ${this.address}:${port}\n${this.logs()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  /** The tail of the host's daemon logs, for failure messages. */
  logs(): string {
    const files = ['sshd.log', 'supervisord.out', 'supervisord.log', 'runsvdir.out', 'node-exporter.log', `${appName}.log`, join(appName, 'current')];
    return files
      .map((f) => join(this.paths.log, f))
      .filter((f) => existsSync(f))
      .map((f) => `--- ${f}\n${readFileSync(f, 'utf8').split('\n').slice(-15).join('\n')}`)
      .join('\n');
  }

  /**
   * Runs `argv` on the host as the login user over real ssh (OpenSSH's client, the lab's key,
   * host keys checked against the lab's known_hosts): what an operator would type.
   */
  exec(argv: readonly string[]): Promise<ExecResult> {
    const args = [
      '-i', this.ssh.privateKeyFile,
      '-p', String(this.ssh.port),
      '-o', 'BatchMode=yes',
      '-o', `UserKnownHostsFile=${this.ssh.knownHostsFile}`,
      '-o', 'GlobalKnownHostsFile=/dev/null',
      '-o', 'StrictHostKeyChecking=yes',
      '-o', 'ConnectTimeout=5',
      '-o', 'LogLevel=ERROR',
      '-l', this.ssh.user,
      this.address,
      '--',
      argv.map(shQuote).join(' '),
    ];
    return new Promise((resolve) => {
      execFile('ssh', args, { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
        const code = (error as (Error & { code?: number | string }) | null)?.code;
        resolve({ exitCode: error ? (typeof code === 'number' ? code : 255) : 0, stdout, stderr });
      });
    });
  }

  /** The supervisor's own control command for a program, over ssh as the login user: `supervisorctl status shop-api` or `sv status …`. */
  control(verb: 'status' | 'start' | 'stop' | 'restart', program = appName): Promise<ExecResult> {
    return this.exec(this.supervisor.control(verb, program));
  }

  /** Whether the supervisor says `program` runs. */
  async runs(program = appName): Promise<boolean> {
    return this.supervisor.runs((await this.control('status', program)).stdout);
  }

  /** The `service` step fields that drive `program` on this host (manager and its paths), to spread into a step's config. */
  serviceConfig(program = appName): ServiceManagerConfig {
    return this.supervisor.serviceConfig(program);
  }

  /** Declares a program to the host's supervisor; while the host is up, the supervisor takes it up at once. */
  async addProgram(program: LabProgram): Promise<void> {
    this.writeProgram(program);
    if (this.isUp) await this.supervisor.load(program.name);
  }

  private writeProgram(program: LabProgram): void {
    this.supervisor.writeProgram(program, this.shared.user);
    this.programs.push(program);
  }

  /** Writes release `version` into `releases/<version>/` (owned by the login user); `activate` switches `current` to it. */
  installRelease(version: string, options: { fault?: AppFault; activate?: boolean } = {}): string {
    const folder = buildRelease(join(this.paths.app, 'releases', version), version, { ...(options.fault && { fault: options.fault }), owner: this.shared.user });
    if (options.activate) switchCurrent(this.paths.app, version, this.shared.user);
    return folder;
  }

  /** The release `current` points at. */
  currentRelease(): string {
    return execFileSync('readlink', [join(this.paths.app, 'current')], { encoding: 'utf8' }).trim().replace(/^releases\//, '');
  }

  /** Writes `bytes` of zeros into a new file on the host's data tmpfs (as the login user's file) and returns its path. */
  fill(bytes: number, name = `fill-${++this.fills}.bin`): string {
    const path = join(this.paths.data, name);
    const fd = openSync(path, 'w', 0o644);
    try {
      const chunk = Buffer.alloc(Math.min(bytes, 1 << 20));
      for (let left = bytes; left > 0; left -= chunk.length) writeSync(fd, chunk, 0, Math.min(left, chunk.length));
    } finally {
      closeSync(fd);
    }
    lchownSync(path, this.shared.user.uid, this.shared.user.gid);
    return path;
  }

  /** Takes the host down for good and unmounts its data tmpfs. */
  async destroy(): Promise<void> {
    await this.down();
    if (readFileSync('/proc/self/mounts', 'utf8').includes(` ${this.paths.data} `)) execFileSync('umount', [this.paths.data]);
  }
}
