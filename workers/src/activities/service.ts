import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { stepErrors, type StepOutput } from '@runwright/runbook';
import type { ActivityTools, ResolvedInput } from './activity-tools.js';
import { runProgram } from './run-program.js';
import { pollCheck } from './wait-until.js';

/** Runs the manager's verb, then waits for the health check. */
export async function service(input: ResolvedInput<'service'>, tools: ActivityTools): Promise<StepOutput<'service'>> {
  const { config } = input;
  const argv = config.command.map((part) => part.replaceAll('{action}', config.action).replaceAll('{service}', config.service));
  const [program, ...args] = argv as [string, ...string[]];
  const result = await runProgram(program, args, { env: { RUNWRIGHT_IDEMPOTENCY_KEY: input.idempotencyKey }, signal: Context.current().cancellationSignal, timeoutMs: config.timeoutMs, field: 'command' });
  const output: StepOutput<'service'> = { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
  if (config.action === 'status') return { ...output, active: result.exitCode === 0 };
  if (result.exitCode !== 0) {
    throw ApplicationFailure.create({
      type: stepErrors.unexpectedExitCode,
      message: `${argv.join(' ')} exited with ${result.exitCode}: ${(result.stderr || result.stdout).trim().split('\n').pop() ?? ''}`,
      details: [output],
    });
  }
  if (config.health) {
    const health = await pollCheck(config.health, input, tools);
    output.healthPolls = health.polls;
  }
  return output;
}
