import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { stepErrors, type StepOutput } from '@runwright/runbook';
import type { ActivityTools, ResolvedInput } from './activity-tools.js';
import { CappedBuffer } from './capped-buffer.js';
import { invalidConfig } from './failures.js';

const heartbeatEveryMs = 2_000;
const killGraceMs = 2_000;

/**
 * Runs argv directly (no shell) or a script through its declared interpreter. The child leads
 * its own process group and the step owns that group: cancellation, the step's timeout and
 * the end of the main program all end every process it started, so nothing outlives the step.
 */
export async function shell(input: ResolvedInput<'shell'>, _tools: ActivityTools): Promise<StepOutput<'shell'>> {
  const { config } = input;
  const argv = config.command ?? [...config.interpreter, '-c', config.script!];
  const [program, ...args] = argv as [string, ...string[]];
  const context = Context.current();
  // spawn reports a missing cwd as a missing program (ENOENT); name the right field.
  if (config.cwd !== undefined && !(await stat(config.cwd).then((s) => s.isDirectory(), () => false))) {
    throw invalidConfig('cwd', `${config.cwd} is not a directory on this worker`);
  }
  const started = Date.now();
  const stdout = new CappedBuffer(config.maxOutputBytes);
  const stderr = new CappedBuffer(config.maxOutputBytes);

  const child = spawn(program, args, {
    cwd: config.cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', RUNWRIGHT_IDEMPOTENCY_KEY: input.idempotencyKey, ...config.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));

  const killGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  let stopReason: 'cancelled' | 'timedOut' | undefined;
  const stop = (reason: 'cancelled' | 'timedOut') => {
    stopReason ??= reason;
    killGroup('SIGTERM');
    setTimeout(() => killGroup('SIGKILL'), killGraceMs).unref();
  };
  const onCancel = () => stop('cancelled');
  context.cancellationSignal.addEventListener('abort', onCancel);
  const timer = config.timeoutMs === undefined ? undefined : setTimeout(() => stop('timedOut'), config.timeoutMs);
  const heartbeat = setInterval(() => context.heartbeat({ pid: child.pid }), heartbeatEveryMs);

  try {
    const exitCode = await new Promise<number>((resolve, reject) => {
      child.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          ApplicationFailure.create({
            type: error.code === 'ENOENT' || error.code === 'EACCES' ? stepErrors.invalidConfig : stepErrors.unreachable,
            message: `${config.command ? 'command' : 'interpreter'}: cannot run ${JSON.stringify(program)}${config.cwd ? ` in ${config.cwd}` : ''}: ${error.code ?? error.message}`,
            nonRetryable: error.code === 'ENOENT' || error.code === 'EACCES',
          }),
        ),
      );
      child.once('exit', (code, signal) => {
        // Background children still hold the output pipes; they end with the step.
        killGroup('SIGKILL');
        child.once('close', () => resolve(code ?? 128 + (signal ? signalNumber(signal) : 0)));
      });
    });
    if (stopReason === 'cancelled' || context.cancellationSignal.aborted) throw context.cancellationSignal.reason;
    const output = {
      exitCode,
      stdout: stdout.text(),
      stderr: stderr.text(),
      truncated: stdout.truncated || stderr.truncated,
      durationMs: Date.now() - started,
    };
    if (stopReason === 'timedOut') {
      throw ApplicationFailure.create({
        type: stepErrors.timedOut,
        message: `${program} ran longer than ${config.timeoutMs} ms; its process group was killed`,
        details: [output],
      });
    }
    if (!config.expectExitCodes.includes(exitCode)) {
      throw ApplicationFailure.create({
        type: stepErrors.unexpectedExitCode,
        message: `${program} exited with ${exitCode} (expected ${config.expectExitCodes.join(' or ')}): ${lastLine(output.stderr) || lastLine(output.stdout)}`,
        details: [output],
      });
    }
    return output;
  } finally {
    clearInterval(heartbeat);
    clearTimeout(timer);
    context.cancellationSignal.removeEventListener('abort', onCancel);
  }
}

function lastLine(text: string): string {
  return text.trimEnd().split('\n').pop() ?? '';
}

function signalNumber(signal: NodeJS.Signals): number {
  const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
  return numbers[signal] ?? 0;
}
