import { z } from 'zod';
import type { FieldHint } from './define-step.js';
import { secretOr } from './secret-ref.js';

/** `host`, `host:port` or `[v6-address]:port`. */
const hostPattern = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/;
/** As `ssh-keygen -lf` prints it: `SHA256:` and unpadded base64. */
const fingerprintPattern = /^SHA256:[A-Za-z0-9+/]{43}$/;

/** One SSH target as a runbook writes it. */
export const sshHostSchema = z.string().regex(hostPattern, 'host, host:port or [v6]:port');

/**
 * How every kind that logs in to a host over SSH (ssh, rsync) proves who it is and decides
 * whether to trust the host. Spread into a kind's config, so its YAML stays flat and the fields
 * mean the same in each kind. A host's key is trusted when it matches its pin in `hostKeys` or,
 * for hosts without a pin, an entry in a known_hosts file (the step's, else the worker's
 * RUNWRIGHT_SSH_KNOWN_HOSTS); a key that differs, or is `@revoked`, is always refused.
 */
export const sshLoginFields = {
  user: z.string().min(1),
  /** PEM/OpenSSH private key text, normally `{ secret: NAME }`. */
  privateKey: secretOr(z.string().min(1)).optional(),
  /** A private key file on the worker. */
  privateKeyFile: z.string().min(1).optional(),
  passphrase: secretOr(z.string()).optional(),
  /** Host (as the step's host field reads once its templates are rendered, e.g. `db-1:2222`) → pinned key fingerprint `SHA256:…`. */
  hostKeys: z.record(z.string(), z.string().regex(fingerprintPattern, 'a fingerprint as ssh-keygen -lf prints it: SHA256:…')).default({}),
  /** An OpenSSH known_hosts file on the worker (plain or hashed names, `[host]:port`, `@revoked`). */
  knownHostsFile: z.string().min(1).optional(),
  acceptUnknownHosts: z.boolean().default(false),
  connectTimeoutMs: z.number().int().positive().default(10_000),
};

/** The refinement every SSH kind's config carries: the key comes from exactly one place. */
export function hasOneSshKey(c: { privateKey?: unknown; privateKeyFile?: unknown }): boolean {
  return (c.privateKey === undefined) !== (c.privateKeyFile === undefined);
}
export const oneSshKeyIssue = { message: 'give exactly one of `privateKey` or `privateKeyFile`', path: ['privateKey'] };

/** Editor hints for the shared login fields. */
export const sshLoginHints: Record<string, FieldHint> = {
  privateKey: { label: 'Private key', help: 'Use a secret reference: { secret: NAME }.' },
  hostKeys: { label: 'Pinned host keys', widget: 'keyValue', help: 'host → SHA256 fingerprint (ssh-keygen -lf).' },
  knownHostsFile: {
    label: 'known_hosts file',
    placeholder: '/etc/ssh/ssh_known_hosts',
    help: 'A file on the worker in OpenSSH format (ssh-keyscan, ssh-keygen -H); hosts without a pin must be listed there. Empty uses the worker\'s RUNWRIGHT_SSH_KNOWN_HOSTS.',
  },
  acceptUnknownHosts: { label: 'Accept hosts neither pinned nor in known_hosts', widget: 'switch' },
};

/**
 * The same host and login as one object, for a kind that reaches a host only in some of its
 * forms: a `service` step acts over SSH for its systemd, supervisor and runit managers, and on
 * the worker for `command`, so its login fields sit under `ssh:` (same names, same meaning).
 */
export const sshConnectionSchema = z
  .strictObject({ host: sshHostSchema, ...sshLoginFields })
  .refine(hasOneSshKey, oneSshKeyIssue);
