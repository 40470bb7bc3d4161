import type { ActionType } from '@runwright/runbook';

/**
 * What a rehearsal records instead of running an action: the kind and its config with every
 * template rendered, so the author sees the exact command, host or URL. Secret references stay
 * references (`secret: NAME`); they are resolved only inside activities, which do not run.
 */
export function dryRunRecord(kind: ActionType, config: unknown): { dryRun: true; kind: ActionType; wouldRun: unknown } {
  return { dryRun: true, kind, wouldRun: config };
}
