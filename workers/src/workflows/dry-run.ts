import { ApplicationFailure, patched } from '@temporalio/workflow';
import { checkRenderedConfig, stepErrors, type ActionType } from '@runwright/runbook';
import { patches } from './patches.js';

/**
 * What a rehearsal records instead of running an action: the kind and its config with every
 * template rendered, so the author sees the exact command, host or URL. Secret references stay
 * references (`secret: NAME`); they are resolved only inside activities, which do not run.
 *
 * The rendered config is checked with the kind's real schema, the check the worker makes
 * (`checkRenderedConfig`), so a parameter that renders a port of 70000 fails the node with the
 * same InvalidConfig a real run would report, instead of rehearsing fine.
 */
export function dryRunRecord(kind: ActionType, config: unknown): { dryRun: true; kind: ActionType; wouldRun: unknown } {
  const checked = checkRenderedConfig(kind, config);
  // Runs rehearsed before the check recorded success here; only a failing check differs, so the marker sits there.
  if (!checked.success && patched(patches.dryRunChecksConfig)) {
    throw ApplicationFailure.create({ type: stepErrors.invalidConfig, message: `${checked.field}: ${checked.message}`, nonRetryable: true });
  }
  return { dryRun: true, kind, wouldRun: config };
}
