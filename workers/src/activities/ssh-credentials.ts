import { readFile } from 'node:fs/promises';
import { invalidConfig } from './failures.js';
import { keysForHost, knownHostsName, parseKnownHosts } from './known-hosts.js';
import type { HostTrust } from './ssh-host-trust.js';
import type { SshTarget } from './ssh-session.js';

/** The key text (from a secret) or the key file's bytes; `field` prefixes the config path in errors (`ssh.` for nested connections). */
export async function readPrivateKey(config: { privateKey?: string; privateKeyFile?: string }, field = ''): Promise<string | Buffer> {
  if (config.privateKeyFile === undefined) return config.privateKey!;
  try {
    return await readFile(config.privateKeyFile);
  } catch (error) {
    throw invalidConfig(`${field}privateKeyFile`, `cannot read ${config.privateKeyFile}: ${(error as NodeJS.ErrnoException).code}`);
  }
}

export interface KnownHostsLookup {
  lookup(host: string, port: number): NonNullable<HostTrust['known']>;
}

/** The step's known_hosts file, else the worker's (RUNWRIGHT_SSH_KNOWN_HOSTS); read once for every host of the step. */
export async function readKnownHosts(stepFile: string | undefined, workerFile: string | undefined, field = ''): Promise<KnownHostsLookup | undefined> {
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
    lookup: (host, port) => {
      const name = knownHostsName(host, port);
      return { file, name, keys: keysForHost(lines, name) };
    },
  };
}

/** What one host's key is checked against: its pin (by the host as the step names it), else the known_hosts lines naming it. */
export function trustFor(target: SshTarget, config: { hostKeys: Record<string, string>; acceptUnknownHosts: boolean }, knownHosts: KnownHostsLookup | undefined): HostTrust {
  return {
    ...(config.hostKeys[target.label] && { pinnedKey: config.hostKeys[target.label] }),
    ...(knownHosts && { known: knownHosts.lookup(target.host, target.port) }),
    acceptUnknownHosts: config.acceptUnknownHosts,
  };
}
