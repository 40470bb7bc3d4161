import { setTimeout as sleep } from 'node:timers/promises';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { stepErrors, type StepOutput } from '@runwright/runbook';
import type { ActionImplementation, ActivityTools, ResolvedInput } from './activity-tools.js';

type CheckKind = ResolvedInput<'waitUntil'>['config']['check']['kind'];

/** Polls the check until it succeeds, heartbeating each round, or fails with the last reason at the deadline. */
export async function waitUntil(input: ResolvedInput<'waitUntil'>, tools: ActivityTools): Promise<StepOutput<'waitUntil'>> {
  return pollCheck(input.config, input, tools);
}

type Poll = ResolvedInput<'waitUntil'>['config'];

/** The polling loop, shared with kinds that wait for health after acting (service). */
export async function pollCheck(config: Poll, input: Omit<ResolvedInput<'waitUntil'>, 'config'>, tools: ActivityTools): Promise<StepOutput<'waitUntil'>> {
  const context = Context.current();
  const started = Date.now();
  const run = tools.implementations[config.check.kind] as ActionImplementation<CheckKind>;
  let polls = 0;
  let last = 'no check finished';
  for (;;) {
    polls++;
    try {
      const output = await run({ ...input, config: config.check.config } as never, tools);
      return { polls, waitedMs: Date.now() - started, output };
    } catch (error) {
      if (context.cancellationSignal.aborted) throw error;
      if (error instanceof ApplicationFailure && error.nonRetryable) throw error;
      last = `${(error as ApplicationFailure).type ?? 'Error'}: ${(error as Error).message}`;
    }
    // Heartbeat details can reach history (a timed-out attempt keeps them): no secret values in them.
    context.heartbeat({ polls, last: tools.redactor.text(last) });
    const left = config.timeoutMs - (Date.now() - started);
    if (left <= 0) {
      throw ApplicationFailure.create({
        type: stepErrors.timedOut,
        message: `${config.check.kind} check did not hold within ${config.timeoutMs} ms (${polls} polls); last: ${last}`,
      });
    }
    try {
      await sleep(Math.min(config.intervalMs, left), undefined, { signal: context.cancellationSignal });
    } catch {
      throw context.cancellationSignal.reason;
    }
  }
}
