import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { stepErrors, type StepOutput } from '@runwright/runbook';
import type { ActivityTools, ResolvedInput } from './activity-tools.js';
import { CappedBuffer } from './capped-buffer.js';
import { invalidConfig } from './failures.js';
import { checkPrivateKey, opensshClient } from './openssh-client.js';
import { outboundAddress } from './outbound.js';
import { rsyncArguments } from './rsync-arguments.js';
import { rsyncFailure } from './rsync-exit.js';
import { RsyncOutputReader } from './rsync-output.js';
import { trustedHostKey } from './ssh-host-key.js';
import { hostTrust, loginKey, readKnownHosts } from './ssh-login.js';
import { parseTarget } from './ssh-session.js';

const heartbeatEveryMs = 2_000;
const killGraceMs = 2_000;

/**
 * Pushes or pulls a tree with rsync over ssh. Before rsync starts, the host's address passes the
 * worker's outbound policy and its key is checked by the `ssh` kind's rules; rsync's ssh is then
 * pinned to that key and that address. rsync leads its own process group (its ssh inside it),
 * and cancellation or the step's timeout ends the whole group.
 */
export async function rsync(input: ResolvedInput<'rsync'>, tools: ActivityTools): Promise<StepOutput<'rsync'>> {
  const { config } = input;
  const context = Context.current();
  const started = Date.now();
  const where = config.host;
  const keyField = config.privateKeyFile ? 'privateKeyFile' : 'privateKey';
  const privateKey = await loginKey(config);
  checkPrivateKey(privateKey, config.passphrase, keyField);
  await checkLocalPath(config.direction, config.localPath, config.createParents);
  const knownHosts = await readKnownHosts(config.knownHostsFile, tools.config.sshKnownHostsFile);

  const target = parseTarget(config.host);
  const { address } = await outboundAddress(tools.config.addresses, target.host, target.port, where);
  const hostKey = await trustedHostKey({ label: where, address, port: target.port }, hostTrust(config, target, knownHosts), {
    connectTimeoutMs: config.connectTimeoutMs,
    signal: context.cancellationSignal,
  });
  const client = await opensshClient(
    privateKey,
    config.passphrase,
    { address, port: target.port, user: config.user, hostKey, connectTimeoutMs: config.connectTimeoutMs, signal: context.cancellationSignal },
    keyField,
  );
  try {
    const stdout = new RsyncOutputReader(config.maxOutputBytes);
    const stderr = new CappedBuffer(config.maxOutputBytes);
    const ended = await runGroup(rsyncArguments(config, client.commandLine), {
      stdout: (chunk) => stdout.push(chunk),
      stderr: (chunk) => stderr.push(chunk),
      heartbeat: () => context.heartbeat({ changes: stdout.changeCount }),
      signal: context.cancellationSignal,
      ...(config.timeoutMs !== undefined && { timeoutMs: config.timeoutMs }),
    });
    stdout.end();
    if (context.cancellationSignal.aborted) throw context.cancellationSignal.reason;
    const output: StepOutput<'rsync'> = {
      host: where,
      direction: config.direction,
      dryRun: config.dryRun,
      changes: stdout.changes,
      changeCount: stdout.changeCount,
      changesTruncated: stdout.changesTruncated,
      ...stdout.stats,
      stderr: stderr.text(),
      hostKey: hostKey.fingerprint,
      durationMs: Date.now() - started,
    };
    if (ended.timedOut) {
      throw ApplicationFailure.create({ type: stepErrors.timedOut, message: `${where}: rsync ran longer than ${config.timeoutMs} ms; it was killed`, details: [output] });
    }
    if (ended.exitCode !== 0) {
      const failure = rsyncFailure(ended.exitCode, output.stderr, where);
      throw ApplicationFailure.create({ ...failure, details: [output] });
    }
    return output;
  } finally {
    await client.remove();
  }
}

/** A missing local source (or destination folder) is the step's config, not a transfer error. */
async function checkLocalPath(direction: 'push' | 'pull', localPath: string, createParents: boolean): Promise<void> {
  const exists = (path: string) => stat(path).then(() => true, () => false);
  if (direction === 'push' && !(await exists(localPath))) throw invalidConfig('localPath', `${localPath} does not exist on this worker`);
  if (direction === 'pull' && !createParents && !(await exists(dirname(localPath.replace(/\/+$/, '')) || '.'))) {
    throw invalidConfig('localPath', `the folder of ${localPath} does not exist on this worker (set createParents to create it)`);
  }
}

interface GroupRun {
  stdout(chunk: Buffer): void;
  stderr(chunk: Buffer): void;
  heartbeat(): void;
  signal: AbortSignal;
  timeoutMs?: number;
}

/** Runs rsync as the leader of its own process group and waits for the group's output to close. */
async function runGroup(args: string[], run: GroupRun): Promise<{ exitCode: number; timedOut: boolean }> {
  const child = spawn('rsync', args, {
    // Nothing of the worker's environment reaches rsync or ssh: no RSYNC_* settings, no agent socket.
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C.UTF-8' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout.on('data', run.stdout);
  child.stderr.on('data', run.stderr);
  const killGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  let timedOut = false;
  const stop = () => {
    killGroup('SIGTERM');
    setTimeout(() => killGroup('SIGKILL'), killGraceMs).unref();
  };
  run.signal.addEventListener('abort', stop);
  const timer = run.timeoutMs === undefined ? undefined : setTimeout(() => ((timedOut = true), stop()), run.timeoutMs);
  const heartbeat = setInterval(run.heartbeat, heartbeatEveryMs);
  try {
    const exitCode = await new Promise<number>((resolve, reject) => {
      child.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          ApplicationFailure.create({
            type: stepErrors.invalidConfig,
            message: `rsync cannot run on this worker (${error.code ?? error.message}); install Debian's rsync`,
            nonRetryable: true,
          }),
        ),
      );
      child.once('exit', (code, signal) => {
        // A stray child still holding the output pipes ends with the step.
        killGroup('SIGKILL');
        child.once('close', () => resolve(code ?? (signal ? 128 : 255)));
      });
    });
    return { exitCode, timedOut };
  } finally {
    clearInterval(heartbeat);
    clearTimeout(timer);
    run.signal.removeEventListener('abort', stop);
  }
}
