import { createHash } from 'node:crypto';
import type { ServerHostKeyAlgorithm } from 'ssh2';
import type { KnownHostKey } from './known-hosts.js';

/** What one host's presented key is checked against. */
export interface HostTrust {
  /** From the step's `hostKeys`: decides alone, except over a revoked key. */
  pinnedKey?: string;
  /** The known_hosts lines naming this host, when a file is in use. */
  known?: { file: string; name: string; keys: KnownHostKey[] };
  acceptUnknownHosts: boolean;
}

/** The fingerprint `ssh-keygen -lf` prints for a raw public key blob. */
export function fingerprintOf(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** Why the presented key is refused, or undefined when it is trusted. */
export function hostKeyRefusal(key: Buffer, trust: HostTrust): string | undefined {
  const fingerprint = fingerprintOf(key);
  const known = trust.known;
  const listed = known?.keys.filter((k) => k.key.equals(key)) ?? [];
  // Revocation is absolute, as in `ssh`: a compromised key stays refused even where a runbook pinned it.
  const revoked = listed.find((k) => k.revoked);
  if (revoked) return `host key ${fingerprint} is marked @revoked in ${known!.file} (line ${revoked.line}); refusing to connect`;
  if (trust.pinnedKey) {
    if (trust.pinnedKey === fingerprint) return undefined;
    return `host key ${fingerprint} differs from the pinned ${trust.pinnedKey}; refusing to connect`;
  }
  if (known) {
    if (listed.length > 0) return undefined;
    const expected = known.keys.filter((k) => !k.revoked);
    if (expected.length > 0) {
      const fingerprints = expected.map((k) => `${fingerprintOf(k.key)} (${k.keyType}, line ${k.line})`).join(', ');
      return `host key ${fingerprint} does not match ${known.file}, which lists ${fingerprints} for ${known.name}; the host key changed or someone is in between; refusing to connect`;
    }
  }
  if (trust.acceptUnknownHosts) return undefined;
  return known
    ? `host key ${fingerprint} is not pinned in hostKeys, ${known.name} is not in ${known.file}, and acceptUnknownHosts is off`
    : `host key ${fingerprint} is not pinned in hostKeys and acceptUnknownHosts is off`;
}

/** ssh2's default host key algorithms, in its order. */
const defaultAlgorithms: ServerHostKeyAlgorithm[] = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];

/**
 * The host key algorithms to offer, those of the keys known for the host first — what `ssh`
 * does too. Otherwise a host known by its RSA key that also has an Ed25519 key would present
 * the Ed25519 one and be refused as changed.
 */
export function hostKeyAlgorithms(trust: HostTrust): ServerHostKeyAlgorithm[] | undefined {
  const types = new Set(trust.known?.keys.filter((k) => !k.revoked).map((k) => k.keyType));
  const preferred = defaultAlgorithms.filter((algorithm) => types.has(algorithm) || (types.has('ssh-rsa') && algorithm.startsWith('rsa-sha2-')));
  if (preferred.length === 0) return undefined;
  return [...preferred, ...defaultAlgorithms.filter((a) => !preferred.includes(a))];
}
