import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { stepErrors, type StepOutput } from '@runwright/runbook';
import type { ActivityTools, ResolvedInput } from './activity-tools.js';
import { checkAssertion } from './assertion.js';
import { invalidConfig } from './failures.js';
import { guardedRequest } from './guarded-request.js';
import { runProgram } from './run-program.js';
import { defaultCommands, renderTrafficConfig } from './traffic-config.js';

async function readOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Replaces a file in one step: readers see the old or the new content, never half of one. */
async function writeAtomically(path: string, content: string): Promise<void> {
  const temporary = `${path}.runwright-${process.pid}-${Date.now()}`;
  await writeFile(temporary, content);
  await rename(temporary, path);
}

async function putBack(path: string, content: string | undefined): Promise<void> {
  if (content === undefined) await rm(path, { force: true });
  else await writeAtomically(path, content);
}

/** Undoes a switch that did not complete: the live file and the rollback file as they were. */
async function undo(configFile: string, current: string | undefined, previousFile: string, formerPrevious: string | undefined): Promise<void> {
  await putBack(configFile, current);
  await putBack(previousFile, formerPrevious);
}

/** Write → validate → reload → verify, putting the previous file back when any of them fails. */
export async function trafficSwitch(input: ResolvedInput<'traffic.switch'>, tools: ActivityTools): Promise<StepOutput<'traffic.switch'>> {
  const { config } = input;
  const signal = Context.current().cancellationSignal;
  const commands = { ...defaultCommands(config), ...(config.validate && { validate: config.validate }), ...(config.reload && { reload: config.reload }) };
  const previousFile = `${config.configFile}.previous`;
  const current = await readOrUndefined(config.configFile);
  const formerPrevious = await readOrUndefined(previousFile);

  let content: string;
  if (config.action === 'restorePrevious') {
    if (formerPrevious === undefined) throw invalidConfig('action', `no ${previousFile} to restore`);
    content = formerPrevious;
  } else {
    content = renderTrafficConfig[config.balancer](config.upstream, config.servers!);
  }
  const changed = content !== current;
  const run = async (argv: string[], field: 'validate' | 'reload') => {
    const [program, ...args] = argv as [string, ...string[]];
    const result = await runProgram(program, args, { env: {}, signal, timeoutMs: 60_000, field });
    return { ...result, argv };
  };

  if (changed) {
    // The file being replaced is what a rollback goes back to; written first so a crash mid-switch still leaves it.
    if (current !== undefined) await writeAtomically(previousFile, current);
    await writeAtomically(config.configFile, content);
    const validation = await run(commands.validate, 'validate');
    if (validation.exitCode !== 0) {
      await undo(config.configFile, current, previousFile, formerPrevious);
      throw ApplicationFailure.create({
        type: stepErrors.invalidConfig,
        message: `validate: ${validation.argv.join(' ')} refused the new config (exit ${validation.exitCode}), previous config kept: ${lastLines(validation.stderr || validation.stdout)}`,
        nonRetryable: true,
      });
    }
    const reload = await run(commands.reload, 'reload');
    if (reload.exitCode !== 0) {
      await undo(config.configFile, current, previousFile, formerPrevious);
      throw ApplicationFailure.create({ type: stepErrors.unexpectedExitCode, message: `reload: ${reload.argv.join(' ')} exited with ${reload.exitCode}: ${lastLines(reload.stderr || reload.stdout)}` });
    }
  }

  let verified = false;
  if (config.verify) {
    const { url, assert, attempts, intervalMs, consecutive } = config.verify;
    let last = '';
    let passedInRow = 0;
    for (let attempt = 1; attempt <= attempts && !verified; attempt++) {
      try {
        const response = await guardedRequest(tools.config.addresses, { method: 'GET', url, headers: { 'idempotency-key': input.idempotencyKey }, timeoutMs: 5_000, maxBodyBytes: 65_536, maxRedirects: 0, signal, secrets: tools.redactor });
        await checkAssertion(assert, { status: response.status, body: response.body, headers: response.headers }, url);
        passedInRow += 1;
        verified = passedInRow >= consecutive;
      } catch (error) {
        if (signal.aborted) throw error;
        if (error instanceof ApplicationFailure && error.nonRetryable) throw error;
        last = (error as Error).message;
        passedInRow = 0;
      }
      if (!verified && attempt < attempts) await sleep(intervalMs, undefined, { signal });
    }
    if (!verified) {
      if (changed) {
        await undo(config.configFile, current, previousFile, formerPrevious);
        await run(commands.reload, 'reload');
      }
      throw ApplicationFailure.create({
        type: stepErrors.assertionFailed,
        message: `traffic through ${url} did not reach the new servers after ${attempts} checks${changed ? '; previous config restored and reloaded' : ''}: ${last}`,
      });
    }
  }
  return { configFile: config.configFile, previousFile, changed, reloaded: changed, verified, content };
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-2).join(' ');
}
