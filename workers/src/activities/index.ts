import { setImmediate as nextTurn } from 'node:timers/promises';
import { Context } from '@temporalio/activity';
import { checkRenderedConfig, readSettings, useEvaluationClock, type ActionActivities, type ActionInput, type ActionResult, type ActionType } from '@runwright/runbook';
import { activityConfigFromSettings, type ActivityConfig } from '../config/worker-config.js';
import { Redactor } from '../secrets/redactor.js';
import { resolveSecrets } from '../secrets/resolve-secrets.js';
import type { ActionImplementation, ActionImplementations } from './activity-tools.js';
import { invalidConfig, redactedFailure } from './failures.js';
import { http } from './http.js';
import { notify } from './notify.js';
import { postgresBackup } from './postgres-backup.js';
import { postgresPromote } from './postgres-promote.js';
import { postgresSql } from './postgres-sql.js';
import { promql } from './promql.js';
import { rsync } from './rsync.js';
import { service } from './service.js';
import { shell } from './shell.js';
import { ssh } from './ssh.js';
import { trafficSwitch } from './traffic-switch.js';
import { waitUntil } from './wait-until.js';

/** One implementation per action kind of the registry (`action-kinds.ts`); the type makes a missing one a compile error. */
export const actionImplementations: ActionImplementations = {
  shell,
  http,
  ssh,
  'postgres.sql': postgresSql,
  'postgres.backup': postgresBackup,
  'postgres.promote': postgresPromote,
  promql,
  waitUntil,
  notify,
  'traffic.switch': trafficSwitch,
  service,
  rsync,
};

/**
 * What every action goes through around its implementation: the rendered config is validated
 * again (templates can produce anything), secrets are looked up here and only here, and the
 * result or failure leaves with secret values redacted and the attempt that produced it.
 */
function prepared<K extends ActionType>(kind: K, config: ActivityConfig) {
  const implementation = actionImplementations[kind] as ActionImplementation<K>;
  return async (input: ActionInput<K>): Promise<ActionResult<K>> => {
    const { attempt } = Context.current().info;
    const redactor = new Redactor();
    try {
      // The same check a dry run makes (@runwright/runbook), so a rehearsal fails where this would.
      const checked = checkRenderedConfig(kind, input.config);
      if (!checked.success) throw invalidConfig(checked.field, checked.message);
      const resolved = await resolveSecrets(checked.config as ActionInput<K>['config'], config.secrets, redactor);
      const output = await implementation({ ...input, config: resolved }, { config, redactor, implementations: actionImplementations });
      return { output: redactor.deep(output), attempt };
    } catch (error) {
      // Whatever a cancelled implementation threw (an AbortError, a closed socket), the activity reports the cancellation.
      const { cancellationSignal } = Context.current();
      if (cancellationSignal.aborted) throw cancellationSignal.reason;
      throw redactedFailure(error, redactor, attempt);
    }
  };
}

/** The activities a worker registers, named by kind; `only` limits them to the kinds a site offers. */
export function createActivities(
  only?: readonly ActionType[],
  config: ActivityConfig = activityConfigFromSettings(readSettings(process.env)),
): Partial<ActionActivities> {
  // Assertions evaluated in activities get a time limit and give the event loop back (heartbeats,
  // other activities). Workflow code runs in its own sandbox and never sees this clock.
  useEvaluationClock({ now: () => performance.now(), pause: () => nextTurn() });
  const kinds = only ?? (Object.keys(actionImplementations) as ActionType[]);
  return Object.fromEntries(kinds.map((kind) => [kind, prepared(kind, config)])) as Partial<ActionActivities>;
}
