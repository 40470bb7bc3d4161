import { spawn } from 'node:child_process';
import { ApplicationFailure } from '@temporalio/common';
import { stepErrors } from '@runwright/runbook';
import { CappedBuffer } from './capped-buffer.js';

export interface ProgramResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a helper program (pg_dump, pg_restore…) in its own process group with a given
 * environment and no shell; cancellation or the timeout kills the whole group.
 */
export function runProgram(
  program: string,
  args: readonly string[],
  options: { env: Record<string, string>; signal: AbortSignal; timeoutMs: number; field: string },
): Promise<ProgramResult> {
  return new Promise((resolve, reject) => {
    const stdout = new CappedBuffer(65_536);
    const stderr = new CappedBuffer(65_536);
    const child = spawn(program, args, {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const kill = () => {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    };
    let timedOut = false;
    const timer = setTimeout(() => ((timedOut = true), kill()), options.timeoutMs);
    options.signal.addEventListener('abort', kill, { once: true });
    const done = () => {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', kill);
    };
    child.stdout.on('data', (c: Buffer) => stdout.push(c));
    child.stderr.on('data', (c: Buffer) => stderr.push(c));
    child.once('error', (error: NodeJS.ErrnoException) => {
      done();
      reject(
        ApplicationFailure.create({
          type: stepErrors.invalidConfig,
          message: `${options.field}: cannot run ${program}: ${error.code ?? error.message}`,
          nonRetryable: true,
        }),
      );
    });
    child.once('close', (code, signal) => {
      done();
      if (options.signal.aborted) return reject(options.signal.reason);
      if (timedOut) return reject(ApplicationFailure.create({ type: stepErrors.timedOut, message: `${program} ran longer than ${options.timeoutMs} ms` }));
      resolve({ exitCode: code ?? (signal ? 128 : 255), stdout: stdout.text(), stderr: stderr.text() });
    });
  });
}
