import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { invalidConfig } from './failures.js';
import { runProgram } from './run-program.js';
import type { TrustedHostKey } from './ssh-host-key.js';

/** The name the host is known by inside the generated files; never resolved (HostName is the checked address). */
export const hostAlias = 'runwright-target';

export interface OpensshClient {
  /** The `ssh` command line for `rsync -e`: every argument separated by one space, quoted where needed. */
  commandLine: string;
  /** Deletes the key and known_hosts files. */
  remove(): Promise<void>;
}

export interface OpensshTarget {
  address: string;
  port: number;
  user: string;
  hostKey: TrustedHostKey;
  connectTimeoutMs: number;
  /** Cancels the key's decryption when the step is cancelled. */
  signal: AbortSignal;
}

/**
 * What a program that runs `ssh` itself (rsync) is given so that `ssh` trusts exactly what the
 * worker checked and logs in with exactly the step's key: a folder only the worker's user can
 * read holding the private key (mode 0600) and a known_hosts file with the one trusted host key,
 * and a command line that ignores every user and system ssh setting (`-F /dev/null`, no global
 * known_hosts, no agent, no other identities, no prompts, no forwarding, no proxy). The caller
 * removes the folder when the program has ended.
 */
export async function opensshClient(privateKey: string | Buffer, passphrase: string | undefined, target: OpensshTarget, keyField: string): Promise<OpensshClient> {
  // mkdtemp creates the folder with mode 0700.
  const folder = await mkdtemp(join(tmpdir(), 'runwright-ssh-'));
  const remove = () => rm(folder, { recursive: true, force: true });
  try {
    const keyFile = join(folder, 'id');
    const text = privateKey.toString();
    await writeFile(keyFile, text.endsWith('\n') ? text : `${text}\n`, { mode: 0o600, flag: 'wx' });
    if (passphrase) await removePassphrase(folder, keyFile, passphrase, keyField, target.signal);

    const knownHostsFile = join(folder, 'known_hosts');
    await writeFile(knownHostsFile, `${hostAlias} ${target.hostKey.type} ${target.hostKey.key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });

    const options: Record<string, string> = {
      BatchMode: 'yes',
      StrictHostKeyChecking: 'yes',
      UserKnownHostsFile: knownHostsFile,
      GlobalKnownHostsFile: '/dev/null',
      HostKeyAlias: hostAlias,
      HostKeyAlgorithms: algorithmsFor(target.hostKey.type),
      HostName: target.address,
      CheckHostIP: 'no',
      UpdateHostKeys: 'no',
      IdentitiesOnly: 'yes',
      IdentityAgent: 'none',
      PubkeyAuthentication: 'yes',
      PasswordAuthentication: 'no',
      KbdInteractiveAuthentication: 'no',
      ForwardAgent: 'no',
      ForwardX11: 'no',
      ClearAllForwardings: 'yes',
      ControlMaster: 'no',
      ControlPath: 'none',
      PermitLocalCommand: 'no',
      ProxyCommand: 'none',
      ProxyJump: 'none',
      ConnectTimeout: String(Math.max(1, Math.ceil(target.connectTimeoutMs / 1000))),
      // A dead network during a long transfer ends the transfer (and the step) within a minute.
      ServerAliveInterval: '15',
      ServerAliveCountMax: '4',
      LogLevel: 'ERROR',
    };
    const argv = [
      'ssh',
      '-F', '/dev/null',
      ...Object.entries(options).flatMap(([name, value]) => ['-o', `${name}=${value}`]),
      '-i', keyFile,
      '-p', String(target.port),
      '-l', target.user,
    ];
    return { commandLine: argv.map(rshQuoted).join(' '), remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

/** Refuses a key that cannot be read (or opened with the passphrase) before anything connects. */
export function checkPrivateKey(privateKey: string | Buffer, passphrase: string | undefined, keyField: string): void {
  const parsed = ssh2.utils.parseKey(privateKey, passphrase);
  if (parsed instanceof Error) throw invalidConfig(passphrase === undefined ? keyField : `${keyField} (with passphrase)`, parsed.message);
}

/** OpenSSH's host key algorithms for a key type: an RSA key signs with SHA-2, never the SHA-1 `ssh-rsa`. */
function algorithmsFor(type: string): string {
  return type === 'ssh-rsa' ? 'rsa-sha2-512,rsa-sha2-256' : type;
}

/**
 * `ssh` cannot ask for a passphrase under BatchMode, so the worker's private copy of the key is
 * decrypted in place. ssh-keygen reads the old passphrase from an askpass program that prints
 * it from its environment, so the passphrase never appears in an argv (`ps` shows those).
 */
async function removePassphrase(folder: string, keyFile: string, passphrase: string, keyField: string, signal: AbortSignal): Promise<void> {
  const askpass = join(folder, 'askpass');
  await writeFile(askpass, '#!/bin/sh\nprintf \'%s\\n\' "$RUNWRIGHT_KEY_PASSPHRASE"\n', { mode: 0o700, flag: 'wx' });
  const result = await runProgram('ssh-keygen', ['-p', '-q', '-f', keyFile, '-N', ''], {
    env: { SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: 'none', RUNWRIGHT_KEY_PASSPHRASE: passphrase },
    signal,
    timeoutMs: 30_000,
    field: keyField,
  });
  await rm(askpass, { force: true });
  if (result.exitCode !== 0) throw invalidConfig('passphrase', `ssh-keygen could not open the key with it: ${result.stderr.trim() || `exit ${result.exitCode}`}`);
  await chmod(keyFile, 0o600);
}

/**
 * rsync splits its `-e` command on spaces and honours single and double quotes (not backslashes),
 * per rsync(1) on `--rsh`. Every argument here is generated by the worker (its temporary folder,
 * an address, a port) or checked by the step's schema (the user), so a quote inside one is
 * refused rather than escaped.
 */
function rshQuoted(arg: string): string {
  if (/^[A-Za-z0-9_./=:,@+-]+$/.test(arg)) return arg;
  if (arg.includes("'")) throw new Error(`cannot pass ${JSON.stringify(arg)} to ssh through rsync -e`);
  return `'${arg}'`;
}
