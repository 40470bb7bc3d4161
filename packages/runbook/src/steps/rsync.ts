import { z } from 'zod';
import { defineStep } from './define-step.js';
import { hasOneSshKey, oneSshKeyIssue, sshHostSchema, sshLoginFields, sshLoginHints } from './ssh-connection.js';

/**
 * A path rsync is handed. One that starts with `-` would be read as an option (`-e sh -c …`);
 * write `./-name` instead. A NUL byte cannot be in an argv entry at all.
 */
const pathSchema = z
  .string()
  .min(1)
  .regex(/^[^\0]*$/, 'a path cannot hold a NUL byte')
  .regex(/^[^-]/, 'a path must not start with "-" (rsync would read it as an option); write ./-name');

/** What happened to one entry, from rsync's itemized change line. */
export const rsyncChangeSchema = z.object({
  path: z.string(),
  /** `created`, `updated` (content sent), `attributes` (permissions, times, owner only) or `deleted`. */
  action: z.enum(['created', 'updated', 'attributes', 'deleted']),
  /** Absent for a deleted entry other than a folder: rsync does not say what it was. */
  type: z.enum(['file', 'directory', 'symlink', 'device', 'special']).optional(),
  /** rsync's own 11-character summary (`>f.st......`, `*deleting`), see `--itemize-changes` in rsync(1). */
  itemized: z.string(),
});

/**
 * Copies a tree to a host (`push`) or from it (`pull`) with Debian's `rsync` over SSH, trusting
 * the host exactly as the `ssh` kind does (same fields: a pin in `hostKeys` or known_hosts, the
 * key as `{ secret }`). The worker checks the host's key before rsync starts and hands rsync an
 * `ssh` pinned to that one key, with no agent and no user ssh config.
 *
 * Every path and option is its own argv entry; paths go to the remote rsync through its protocol
 * (`--secluded-args`), so the remote shell never reads them and templated values (parameters,
 * alert labels) stay file names, never options or commands.
 *
 * Idempotent: rsync makes the destination match the source, so repeating a transfer of the same
 * tree finds nothing left to change and leaves the same result (with `delete`, the same extra
 * files are gone either way). `changes` lists what this run changed, or would change in a dry run.
 */
export const rsync = defineStep({
  type: 'rsync',
  execution: 'action',
  category: 'actions',
  idempotent: true,
  config: z
    .object({
      /** `push` copies localPath to remotePath on the host; `pull` copies remotePath to localPath. */
      direction: z.enum(['push', 'pull']).default('push'),
      host: sshHostSchema,
      ...sshLoginFields,
      // The user reaches ssh inside rsync's `-e` command line, which rsync splits on spaces and
      // quotes. A field rule, not an object refinement, so `{{ params.user }}` is checked once rendered.
      user: z.string().regex(/^[A-Za-z0-9_.][A-Za-z0-9_.@-]*$/, 'a login name of letters, digits, and . _ @ -'),
      /** On the worker. As in rsync, a trailing `/` on the source copies its contents rather than the folder itself. */
      localPath: pathSchema,
      /** On the host; a relative path is relative to the login user's home. */
      remotePath: pathSchema,
      /** Compare files by checksum, not by size and modification time. */
      checksum: z.boolean().default(false),
      /** Remove destination files that the source does not have (never unless asked). */
      delete: z.boolean().default(false),
      /** Change nothing; `changes` says what would change. */
      dryRun: z.boolean().default(false),
      /** rsync exclude patterns (`*.log`, `cache/`), each passed as one `--exclude=` entry. */
      exclude: z.array(z.string().min(1).regex(/^[^\0]*$/, 'a pattern cannot hold a NUL byte')).default([]),
      /** KiB per second (rsync's --bwlimit). */
      bandwidthLimitKiBps: z.number().int().positive().optional(),
      /** Create missing folders of the destination path (rsync's --mkpath). */
      createParents: z.boolean().default(false),
      compress: z.boolean().default(false),
      /** Kill rsync (and its ssh) when the transfer runs longer; the node's own timeout still applies. */
      timeoutMs: z.number().int().positive().optional(),
      /** Cap on rsync's messages and on the listed changes kept in the output. */
      maxOutputBytes: z.number().int().positive().max(1_048_576).default(65_536),
    })
    .refine(hasOneSshKey, oneSshKeyIssue),
  output: z.object({
    host: z.string(),
    direction: z.enum(['push', 'pull']),
    dryRun: z.boolean(),
    /** What changed (or would change, in a dry run), in rsync's order; cut at `maxOutputBytes`. */
    changes: z.array(rsyncChangeSchema),
    /** Every change, also those cut from `changes`. */
    changeCount: z.number().int(),
    changesTruncated: z.boolean(),
    /** Regular files whose content was sent (or would be). */
    filesTransferred: z.number().int(),
    bytesSent: z.number().int(),
    bytesReceived: z.number().int(),
    /** rsync's warnings, capped. */
    stderr: z.string(),
    /** The key the host presented, so an operator can pin it. */
    hostKey: z.string(),
    durationMs: z.number(),
  }),
  meta: {
    label: 'rsync',
    icon: 'folder-sync',
    description: 'Push a folder to a host or pull one from it with rsync over SSH: checksums, deletes only when asked, dry runs that list what would change, bandwidth limit.',
    fields: {
      direction: { label: 'Direction', widget: 'select', help: 'push: worker → host; pull: host → worker.' },
      host: { label: 'Host', placeholder: 'app-1.internal:22' },
      ...sshLoginHints,
      localPath: { label: 'Path on the worker', placeholder: 'build/release/', help: 'A trailing / copies the folder\'s contents, without it the folder itself.' },
      remotePath: { label: 'Path on the host', placeholder: '/srv/app/releases/1.4.2/', help: 'Relative paths start at the login user\'s home.' },
      checksum: { label: 'Compare by checksum', widget: 'switch', help: 'Slower; catches changes that keep size and modification time.' },
      delete: { label: 'Delete extra files at the destination', widget: 'switch' },
      dryRun: { label: 'Dry run (list changes only)', widget: 'switch' },
      exclude: { label: 'Exclude patterns', widget: 'list', placeholder: '*.log' },
      bandwidthLimitKiBps: { label: 'Bandwidth limit (KiB/s)', widget: 'number' },
      createParents: { label: 'Create missing destination folders', widget: 'switch' },
      compress: { label: 'Compress in transit', widget: 'switch' },
      timeoutMs: { label: 'Kill after (ms)', widget: 'number' },
    },
  },
});
