import { readFile } from 'node:fs/promises';
import { invalidConfig } from './failures.js';
import { keysForHost, knownHostsName, parseKnownHosts } from './known-hosts.js';
import type { HostTrust } from './ssh-host-trust.js';
import type { SshTarget } from './ssh-session.js';

/** The shared login fields of the SSH kinds (`sshLoginFields`), once their secrets are resolved. */
export interface SshLogin {
  user: string;
  privateKey?: string;
  privateKeyFile?: string;
  passphrase?: string;
  hostKeys: Record<string, string>;
  knownHostsFile?: string;
  acceptUnknownHosts: boolean;
  connectTimeoutMs: number;
}

/** The private key text: the step's (a resolved secret) or the worker file it names. `field` prefixes the path in errors (`ssh.` where the login is nested). */
export async function loginKey(login: SshLogin, field = ''): Promise<string | Buffer> {
  if (!login.privateKeyFile) return login.privateKey!;
  try {
    return await readFile(login.privateKeyFile);
  } catch (error) {
    throw invalidConfig(`${field}privateKeyFile`, `cannot read ${login.privateKeyFile}: ${(error as NodeJS.ErrnoException).code}`);
  }
}

export type KnownHosts = Awaited<ReturnType<typeof readKnownHosts>>;

/** The step's known_hosts file, else the worker's; read once for every host of the step. */
export async function readKnownHosts(stepFile: string | undefined, workerFile: string | undefined, field = '') {
  const file = stepFile ?? workerFile;
  if (!file) return undefined;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const where = stepFile ? `${field}knownHostsFile` : `${field}knownHostsFile (RUNWRIGHT_SSH_KNOWN_HOSTS of the worker)`;
    throw invalidConfig(where, `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const lines = parseKnownHosts(text);
  return {
    lookup: (host: string, port: number) => {
      const name = knownHostsName(host, port);
      return { file, name, keys: keysForHost(lines, name) };
    },
  };
}

/** What one target's key is checked against: its pin (keyed by the host as written), else known_hosts. */
export function hostTrust(login: SshLogin, target: SshTarget, knownHosts: KnownHosts): HostTrust {
  const pinnedKey = login.hostKeys[target.label];
  return {
    ...(pinnedKey && { pinnedKey }),
    ...(knownHosts && { known: knownHosts.lookup(target.host, target.port) }),
    acceptUnknownHosts: login.acceptUnknownHosts,
  };
}
