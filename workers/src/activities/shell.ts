import { spawn } from 'node:child_process';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { stepErrors, type ActionInput, type StepOutput } from '@runwright/runbook';
import { CappedBuffer } from './capped-buffer.js';

const heartbeatEveryMs = 2_000;
const killGraceMs = 2_000;

/**
 * Runs argv directly (no shell) or a script through its declared interpreter. The child gets
 * its own process group so that cancellation and timeouts kill everything it started.
 */
export async function shell(input: ActionInput<'shell'>): Promise<StepOutput<'shell'>> {
  const { config } = input;
  const argv = config.command ?? [...config.interpreter, '-c', config.script!];
  const [program, ...args] = argv as [string, ...string[]];
  const context = Context.current();
  const started = Date.now();
  const stdout = new CappedBuffer(config.maxOutputBytes);
  const stderr = new CappedBuffer(config.maxOutputBytes);

  const child = spawn(program, args, {
    cwd: config.cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...config.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));

  const killGroup = (signal: NodeJS.Signals) => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is already gone.
      }
    }
  };
  const onCancel = () => {
    killGroup('SIGTERM');
    setTimeout(() => killGroup('SIGKILL'), killGraceMs).unref();
  };
  context.cancellationSignal.addEventListener('abort', onCancel);
  const heartbeat = setInterval(() => context.heartbeat({ pid: child.pid }), heartbeatEveryMs);

  try {
    const exitCode = await new Promise<number>((resolve, reject) => {
      child.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          ApplicationFailure.create({
            type: error.code === 'ENOENT' ? stepErrors.invalidConfig : stepErrors.unreachable,
            message: `cannot run ${JSON.stringify(program)}: ${error.message}`,
            nonRetryable: error.code === 'ENOENT',
          }),
        ),
      );
      child.once('close', (code, signal) => resolve(code ?? 128 + (signal ? signalNumber(signal) : 0)));
    });
    if (context.cancellationSignal.aborted) throw context.cancellationSignal.reason;
    const output = {
      exitCode,
      stdout: stdout.text(),
      stderr: stderr.text(),
      truncated: stdout.truncated || stderr.truncated,
      durationMs: Date.now() - started,
    };
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
