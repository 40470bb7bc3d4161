import { ApplicationFailure } from '@temporalio/common';
import { evaluateBounded, ExpressionLimitError, expressionLimits, stepErrors } from '@runwright/runbook';

/**
 * Checks a step's assertion: a JSONata expression that must evaluate to exactly `true` over
 * what the step observed. Anything else (false, a number, nothing) fails with the value it
 * gave, so an operator sees why without re-running the step.
 */
export async function checkAssertion(expression: string, data: unknown, what: string): Promise<void> {
  let result: unknown;
  try {
    result = await evaluateBounded(expression, data, expressionLimits.assertions);
  } catch (error) {
    throw ApplicationFailure.create({
      type: error instanceof ExpressionLimitError ? stepErrors.expressionLimit : stepErrors.invalidConfig,
      message: `assert: ${(error as { message?: string }).message ?? String(error)}`,
      nonRetryable: true,
    });
  }
  if (result !== true) {
    const shown = result === undefined ? 'nothing' : JSON.stringify(result).slice(0, 200);
    throw ApplicationFailure.create({ type: stepErrors.assertionFailed, message: `${what}: assertion ${expression} gave ${shown}, not true` });
  }
}
