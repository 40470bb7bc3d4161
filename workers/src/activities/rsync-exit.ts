import { stepErrors, type StepErrorType } from '@runwright/runbook';

/** rsync's exit values, as rsync(1) "EXIT VALUES" describes them. */
const meanings: Record<number, string> = {
  1: 'syntax or usage error',
  2: 'protocol incompatibility with the remote rsync',
  3: 'errors selecting input/output files or folders',
  4: 'an action the remote rsync does not support',
  5: 'error starting the client-server protocol',
  10: 'error in socket I/O',
  11: 'error in file I/O',
  12: 'error in the rsync protocol data stream (the connection or the remote rsync ended)',
  13: 'errors with program diagnostics',
  14: 'error in IPC code',
  20: 'stopped by a signal',
  21: 'some error returned by waitpid()',
  22: 'error allocating memory',
  23: 'partial transfer: some files or attributes were not transferred',
  24: 'partial transfer: some source files vanished',
  25: 'the --max-delete limit stopped deletions',
  30: 'timeout in data send/receive',
  35: 'timeout waiting for daemon connection',
  255: 'ssh failed',
};

export interface RsyncFailure {
  type: StepErrorType;
  message: string;
  nonRetryable: boolean;
}

/**
 * What a failed rsync means, from its exit code and what it and its `ssh` printed. rsync folds
 * ssh's failures into codes 12 or 255, so ssh's own words decide those: a host key that no longer
 * matches (it changed after the worker checked it) is never retried; a refused login, a missing
 * remote rsync or a refused connection are named as such.
 */
export function rsyncFailure(exitCode: number, stderr: string, where: string): RsyncFailure {
  const lines = stderr.split('\n').map((line) => line.trim()).filter(Boolean);
  // rsync's closing "rsync error: … (code N) at main.c(…)" repeats the code; the line before it says why.
  const cause = lines.find((line) => !line.startsWith('rsync error:')) ?? lines[0] ?? '';
  const has = (pattern: RegExp) => lines.some((line) => pattern.test(line));
  const said = (what: string) => `${where}: ${what}${cause ? `: ${cause}` : ''}`;

  if (has(/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/)) {
    return { type: stepErrors.hostKeyRejected, message: `${where}: ssh refused the host key it was pinned to; the host key changed after the worker checked it`, nonRetryable: true };
  }
  if (has(/Permission denied \(/)) return { type: stepErrors.authenticationFailed, message: said('the host refused the key'), nonRetryable: false };
  if (has(/rsync: (command )?not found|rsync: No such file or directory/)) {
    return { type: stepErrors.unexpectedExitCode, message: `${where}: rsync is not installed on the host (or not on the login user's PATH)`, nonRetryable: false };
  }
  if (has(/Connection refused|No route to host|Network is unreachable|Could not resolve hostname|Connection reset|Broken pipe/)) {
    return { type: stepErrors.unreachable, message: said('cannot reach the host'), nonRetryable: false };
  }
  if (has(/Connection timed out|Operation timed out/) || exitCode === 30 || exitCode === 35) {
    return { type: stepErrors.timedOut, message: said(`rsync exited with ${exitCode} (${meanings[exitCode] ?? 'timed out'})`), nonRetryable: false };
  }
  const meaning = meanings[exitCode] ?? 'unknown exit code';
  const message = said(`rsync exited with ${exitCode} (${meaning})`);
  if (exitCode === 1 || exitCode === 4) return { type: stepErrors.invalidConfig, message, nonRetryable: true };
  if (exitCode === 10 || exitCode === 12 || exitCode === 255) return { type: stepErrors.unreachable, message, nonRetryable: false };
  return { type: stepErrors.unexpectedExitCode, message, nonRetryable: exitCode === 2 };
}
