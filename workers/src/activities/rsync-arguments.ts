import type { StepConfig } from '@runwright/runbook';
import { hostAlias } from './openssh-client.js';
import { outFormat } from './rsync-output.js';

type RsyncConfig = Pick<
  StepConfig<'rsync'>,
  'direction' | 'localPath' | 'remotePath' | 'checksum' | 'delete' | 'dryRun' | 'exclude' | 'bandwidthLimitKiBps' | 'createParents' | 'compress'
>;

/**
 * rsync's argv for a step: fixed options first, each value glued to its option in one entry
 * (`--exclude=PATTERN`), then `--` and the two paths, so no value can become an option.
 *
 * - `--protect-args` (`-s`; rsync 3.2.7 and later also call it `--secluded-args`, every rsync since
 *   3.0 knows this name) sends the remote path and options to the remote rsync through its
 *   protocol instead of the remote shell's command line, so the remote shell never parses a name
 *   (spaces, `;`, `$(…)`, newlines stay characters).
 * - A relative path gets `./`: rsync reads `name:rest` as a remote host and `::` as a daemon, and
 *   the schema already refused a leading `-`.
 * - The remote side is always `runwright-target:`, a name `ssh` never resolves: the `-e` command
 *   carries the checked address as its HostName.
 */
export function rsyncArguments(config: RsyncConfig, sshCommandLine: string): string[] {
  const local = literalPath(config.localPath);
  const remote = `${hostAlias}:${literalPath(config.remotePath)}`;
  const [source, destination] = config.direction === 'push' ? [local, remote] : [remote, local];
  return [
    '--archive',
    '--protect-args',
    '--stats',
    '--no-human-readable',
    '--8-bit-output',
    `--out-format=${outFormat}`,
    `--rsh=${sshCommandLine}`,
    ...(config.checksum ? ['--checksum'] : []),
    ...(config.delete ? ['--delete'] : []),
    ...(config.dryRun ? ['--dry-run'] : []),
    ...(config.createParents ? ['--mkpath'] : []),
    ...(config.compress ? ['--compress'] : []),
    ...(config.bandwidthLimitKiBps !== undefined ? [`--bwlimit=${config.bandwidthLimitKiBps}`] : []),
    ...config.exclude.map((pattern) => `--exclude=${pattern}`),
    '--',
    source,
    destination,
  ];
}

function literalPath(path: string): string {
  return path.startsWith('/') ? path : `./${path}`;
}
