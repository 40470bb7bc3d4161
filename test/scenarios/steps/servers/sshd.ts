import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../../support/free-port.js';
import { portOpen } from './listening-process.js';

export interface RunningSshd {
  port: number;
  /** The client key the server accepts (OpenSSH format). */
  clientKey: string;
  clientKeyFile: string;
  /** The server's host key fingerprint, as `ssh-keygen -lf` prints it. */
  hostFingerprint: string;
  stop(): Promise<void>;
}

/** Makes an OpenSSH key pair (`file`, `file.pub`) unless it exists: a server restarted with the same folder keeps its identity. */
export function keygen(file: string, type = 'ed25519'): void {
  if (existsSync(file)) return;
  execFileSync('ssh-keygen', ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '2048'] : []), '-N', '', '-C', 'runwright-test', '-f', file], { stdio: 'ignore' });
}

/** The fingerprint `ssh-keygen -lf` prints for a public key file: `SHA256:…`. */
export function fingerprintOf(publicKeyFile: string): string {
  return execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', publicKeyFile], { encoding: 'utf8' }).split(' ')[1]!;
}

export interface SshdSetup {
  /** Runs the server in the foreground, logging to stderr. */
  argv: string[];
  hostKeyFile: string;
  hostFingerprint: string;
}

export interface SshdOptions {
  addresses: string[];
  port: number;
  /** The authorized_keys file the server reads for every user. */
  authorizedKeysFile: string;
  /** Further host keys (`rsa`, `ecdsa`) besides the Ed25519 one, as real servers have. */
  moreHostKeyTypes?: string[];
  /** Only these accounts may log in; any account when absent. */
  allowUsers?: string[];
}

/**
 * The config and host keys of a real OpenSSH server in `folder` (kept when they exist), run as
 * root in the foreground. Shared by the single-server step tests and the lab's hosts.
 */
export function prepareSshd(folder: string, options: SshdOptions): SshdSetup {
  // Privilege separation needs this directory; systemd normally creates it.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const hostKeyFile = join(folder, 'host_ed25519');
  keygen(hostKeyFile);
  const moreHostKeyFiles = (options.moreHostKeyTypes ?? []).map((type) => {
    const file = join(folder, `host_${type}`);
    keygen(file, type);
    return file;
  });
  const configFile = join(folder, 'sshd_config');
  writeFileSync(
    configFile,
    [
      `Port ${options.port}`,
      ...options.addresses.map((a) => `ListenAddress ${a}`),
      ...[hostKeyFile, ...moreHostKeyFiles].map((file) => `HostKey ${file}`),
      `PidFile ${join(folder, 'sshd.pid')}`,
      `AuthorizedKeysFile ${options.authorizedKeysFile}`,
      ...(options.allowUsers ? [`AllowUsers ${options.allowUsers.join(' ')}`] : []),
      'StrictModes no',
      'UsePAM no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitRootLogin prohibit-password',
      'MaxStartups 50',
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );
  return { argv: ['/usr/sbin/sshd', '-D', '-e', '-f', configFile], hostKeyFile, hostFingerprint: fingerprintOf(`${hostKeyFile}.pub`) };
}

async function waitForPort(port: number, host: string, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`sshd exited: ${log()}`);
    if (await portOpen(port, host)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sshd never listened on ${host}:${port}: ${log()}`);
}

/**
 * A real OpenSSH server on loopback, run as root in the foreground with its own config, host
 * key and authorized key generated in `folder`; `addresses` lets one server stand for many hosts.
 * `moreHostKeyTypes` gives it further host keys (`rsa`, `ecdsa`) besides its Ed25519 one, as
 * real servers have.
 */
export async function startSshd(folder: string, addresses: string[] = ['127.0.0.1'], options: { moreHostKeyTypes?: string[] } = {}): Promise<RunningSshd> {
  const port = await freePort();
  const clientKeyFile = join(folder, 'client_ed25519');
  keygen(clientKeyFile);
  const authorizedKeysFile = join(folder, 'authorized_keys');
  writeFileSync(authorizedKeysFile, readFileSync(`${clientKeyFile}.pub`));
  const setup = prepareSshd(folder, { addresses, port, authorizedKeysFile, ...(options.moreHostKeyTypes && { moreHostKeyTypes: options.moreHostKeyTypes }) });
  let log = '';
  const [program, ...args] = setup.argv as [string, ...string[]];
  const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (c: Buffer) => (log += c));
  child.stderr!.on('data', (c: Buffer) => (log += c));
  await waitForPort(port, addresses[0]!, child, () => log);
  return {
    port,
    clientKey: readFileSync(clientKeyFile, 'utf8'),
    clientKeyFile,
    hostFingerprint: setup.hostFingerprint,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
