import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import type { ApiServer } from './api-stack.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const bin = resolve(import.meta.dirname, '../../node_modules/.bin/runwright');

/**
 * Runs the installed `runwright` command as a user would and collects what it printed. The
 * caller's RUNWRIGHT_URL and RUNWRIGHT_TOKEN are cleared so only `env` can point it anywhere.
 */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((done) => {
    execFile(bin, args, { env: { ...process.env, RUNWRIGHT_TOKEN: '', RUNWRIGHT_URL: '', ...env }, timeout: 120_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** `runwright` against the test API, as the holder of `token` (none when not given). */
export function runwright(api: ApiServer | undefined, args: string[], token?: string): Promise<CliResult> {
  return runCli(args, { RUNWRIGHT_URL: api?.url ?? '', RUNWRIGHT_TOKEN: token ?? '' });
}
