import { z } from 'zod';
import { secretOr } from './secret-ref.js';

/** `host`, `host:port` or `[v6-address]:port`. */
export const sshHostPattern = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/;
/** As `ssh-keygen -lf` prints it: `SHA256:` and unpadded base64. */
export const sshFingerprintPattern = /^SHA256:[A-Za-z0-9+/]{43}$/;

/** Pinned host keys: host (as the step names it once rendered, e.g. `db-1:2222`) → fingerprint. */
export const sshHostKeysSchema = z.record(z.string(), z.string().regex(sshFingerprintPattern, 'a fingerprint as ssh-keygen -lf prints it: SHA256:…'));

/**
 * How a step that acts on one host reaches it: Runwright's own ssh connection (never the
 * worker's `ssh` program), with the same trust rules as the ssh kind. The host's key must match
 * its pin in `hostKeys`, else be listed for the host in a known_hosts file (`knownHostsFile`, else
 * the worker's RUNWRIGHT_SSH_KNOWN_HOSTS); `@revoked` keys are always refused; a host neither
 * pinned nor listed is refused unless `acceptUnknownHosts`. So a runbook sets trust up once per
 * host, the same way for every kind that goes there.
 */
export const sshConnectionSchema = z
  .strictObject({
    host: z.string().regex(sshHostPattern, 'host, host:port or [v6]:port'),
    user: z.string().min(1),
    /** PEM/OpenSSH private key text, normally `{ secret: NAME }`. */
    privateKey: secretOr(z.string().min(1)).optional(),
    /** A private key file on the worker. */
    privateKeyFile: z.string().min(1).optional(),
    passphrase: secretOr(z.string()).optional(),
    hostKeys: sshHostKeysSchema.default({}),
    /** An OpenSSH known_hosts file on the worker (plain or hashed names, `[host]:port`, `@revoked`). */
    knownHostsFile: z.string().min(1).optional(),
    acceptUnknownHosts: z.boolean().default(false),
    connectTimeoutMs: z.number().int().positive().default(10_000),
  })
  .refine((c) => (c.privateKey === undefined) !== (c.privateKeyFile === undefined), {
    message: 'give exactly one of `privateKey` or `privateKeyFile`',
    path: ['privateKey'],
  });
export type SshConnection = z.output<typeof sshConnectionSchema>;
