import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { stepKinds, type ActionInput, type ActionResult, type ActionType, type StepConfig } from '@runwright/runbook';
import { createActivities } from '../../workers/src/activities/index.js';
import type { ActivityConfig } from '../../workers/src/config/worker-config.js';
import { testActivityConfig } from './temporal.js';

/**
 * Runs one kind's real activity (with the worker's wrapper: validation, secrets, redaction)
 * in an activity context, for tests of one activity's behaviour. `config` is given as a
 * runbook author writes it; defaults are applied by the wrapper's validation.
 */
export function runActivity<K extends ActionType>(
  kind: K,
  config: Partial<StepConfig<K>> | Record<string, unknown>,
  options: { activityConfig?: ActivityConfig; environment?: MockActivityEnvironment } = {},
): Promise<ActionResult<K>> {
  const activity = createActivities([kind], options.activityConfig ?? testActivityConfig)[kind]! as unknown as (input: ActionInput<K>) => Promise<ActionResult<K>>;
  const environment = options.environment ?? quietActivityEnvironment();
  const running = environment.run(activity, { runId: 'run-test', nodeId: 'node', idempotencyKey: 'run-test/node', config: config as StepConfig<K> }) as Promise<ActionResult<K>>;
  return running.then((result) => {
    // What later steps and the editor read is promised by the kind's output schema: hold every result to it.
    const checked = stepKinds[kind].output.safeParse(result.output);
    if (!checked.success) throw new Error(`${kind} output does not match its schema: ${checked.error.message}`);
    return result;
  });
}

/** The failure an activity run ended with (or a thrown Error when it succeeded). */
export async function activityFailure(promise: Promise<unknown>): Promise<{ type?: string; message: string; nonRetryable?: boolean; details?: unknown[] }> {
  try {
    await promise;
  } catch (error) {
    return error as { type?: string; message: string; nonRetryable?: boolean };
  }
  throw new Error('the activity succeeded, but a failure was expected');
}

/** An activity context whose expected failures do not flood the test output. */
export function quietActivityEnvironment(): MockActivityEnvironment {
  return new MockActivityEnvironment({ attempt: 1 }, { logger: new DefaultLogger('ERROR') });
}
