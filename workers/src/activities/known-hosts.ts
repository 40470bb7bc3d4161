import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * OpenSSH `known_hosts` files (sshd(8), "SSH_KNOWN_HOSTS FILE FORMAT"), read the way `ssh`
 * reads them. No maintained npm package parses this format (markers, hashed names, negated
 * patterns), and the part we need is small: which keys a file lists for one host.
 */

export interface KnownHostKey {
  /** `revoked` keys must never be accepted for the hosts the line names. */
  revoked: boolean;
  keyType: string;
  /** The raw public key blob, as the server presents it during the handshake. */
  key: Buffer;
  /** 1-based, for messages. */
  line: number;
}

interface KnownHostsLine extends KnownHostKey {
  matches(name: string): boolean;
}

/** The name `ssh` looks a host up by: `host` on port 22, `[host]:port` on any other. */
export function knownHostsName(host: string, port: number): string {
  const lower = host.toLowerCase();
  return port === 22 ? lower : `[${lower}]:${port}`;
}

/**
 * Every usable line of a known_hosts file. Lines `ssh` would skip (comments, garbage, unknown
 * markers) are skipped here too: refusing the whole file over one bad line would lock a worker
 * out of every host in it, which `ssh` itself does not do.
 */
export function parseKnownHosts(text: string): KnownHostsLine[] {
  const lines: KnownHostsLine[] = [];
  text.split('\n').forEach((raw, index) => {
    const fields = raw.trim().split(/\s+/);
    if (fields[0] === '' || fields[0]!.startsWith('#')) return;
    let revoked = false;
    if (fields[0]!.startsWith('@')) {
      const marker = fields.shift();
      // Host certificates signed by a CA need certificate checks that ssh2's hostVerifier (a
      // raw key) cannot make; such a line is not a key for the host, so it is left out.
      if (marker !== '@revoked') return;
      revoked = true;
    }
    const [names, keyType, keyText] = fields;
    if (!names || !keyType || !keyText || !/^[A-Za-z0-9+/]+={0,2}$/.test(keyText)) return;
    const matches = hostMatcher(names);
    if (!matches) return;
    lines.push({ revoked, keyType, key: Buffer.from(keyText, 'base64'), line: index + 1, matches });
  });
  return lines;
}

/** The keys of the lines that name the host (`knownHostsName` form). */
export function keysForHost(lines: readonly KnownHostsLine[], name: string): KnownHostKey[] {
  return lines.filter((line) => line.matches(name)).map(({ revoked, keyType, key, line }) => ({ revoked, keyType, key, line }));
}

function hostMatcher(names: string): ((name: string) => boolean) | undefined {
  if (names.startsWith('|')) {
    // `|1|salt|hash`: HMAC-SHA1 of the name keyed by the salt (`ssh-keygen -H`, HashKnownHosts).
    const [, magic, salt, hash] = names.split('|');
    if (magic !== '1' || !salt || !hash) return undefined;
    const saltBytes = Buffer.from(salt, 'base64');
    const hashBytes = Buffer.from(hash, 'base64');
    if (hashBytes.length !== 20) return undefined;
    return (name) => timingSafeEqual(createHmac('sha1', saltBytes).update(name).digest(), hashBytes);
  }
  const patterns = names.toLowerCase().split(',').filter(Boolean);
  return (name) => {
    let matched = false;
    for (const pattern of patterns) {
      const negated = pattern.startsWith('!');
      if (!wildcardMatch(negated ? pattern.slice(1) : pattern, name)) continue;
      // A negated pattern that matches rules the line out, whatever else matches.
      if (negated) return false;
      matched = true;
    }
    return matched;
  };
}

/** `*` any run of characters, `?` exactly one; everything else literal. */
function wildcardMatch(pattern: string, name: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.');
  return new RegExp(`^${source}$`).test(name);
}
