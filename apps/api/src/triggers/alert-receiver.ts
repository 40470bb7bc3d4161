import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import {
  alertRunWorkflowId,
  durationToMs,
  matchesLabels,
  parametersSchemaFor,
  pathToString,
  renderTemplates,
  runProtocol,
  type AlertContext,
  type AlertDecision,
  type AlertHeldBackSignal,
  type AlertmanagerAlert,
  type AlertResolvedSignal,
  type AlertRoute,
  type Runbook,
  type Settings,
} from '@runwright/runbook';
import { listRuns } from '../temporal/run-visibility.js';
import { ApiError } from '../http/api-error.js';
import type { SubRunbooks } from '../runbooks/sub-runbooks.js';
import { startRunWorkflow } from '../temporal/start-run.js';
import type { AlertRouteOverrides } from './alert-route-overrides.js';
import type { AlertSwitch } from './alert-switch.js';
import type { ConcurrencyHolders } from './concurrency-holder.js';
import type { StormControl } from './storm-control.js';

export interface ReceiverDeps {
  client: Client;
  settings: Settings;
  storm: StormControl;
  alertSwitch: AlertSwitch;
  /** Who sent the notification (the receiver token's user); alert-started runs are started by them. */
  sender: string;
  /** The runbooks a run may start as children, pinned when it starts. */
  subRunbooksOf: (runbook: Runbook) => Promise<SubRunbooks | undefined>;
  /** Who holds a concurrency key, so an alert the key would refuse starts no run. */
  holders: ConcurrencyHolders;
  /** The installation's parameters for routes (RUNWRIGHT_ALERT_ROUTE_OVERRIDES). */
  overrides: AlertRouteOverrides | undefined;
  /** Tells a run that an alert was refused because it holds the key; a failure is only logged. */
  onHeldBack: (holder: string, signal: AlertHeldBackSignal) => Promise<void>;
}

interface Match {
  runbook: Runbook;
  planHash: string;
  route: AlertRoute;
}

export function matchingRoutes(runbooks: { runbook: Runbook; planHash: string }[], labels: Record<string, string>): Match[] {
  return runbooks.flatMap(({ runbook, planHash }) =>
    runbook.triggers.alerts.filter((route) => matchesLabels(route.match, labels)).map((route) => ({ runbook, planHash, route })),
  );
}

/** The alert's identity in the run id: Alertmanager's fingerprint plus when this firing began. */
export function alertWorkflowId(runbookId: string, route: string, alert: Pick<AlertmanagerAlert, 'fingerprint' | 'startsAt'>): string {
  return alertRunWorkflowId(runbookId, route, `${alert.fingerprint}-${Date.parse(alert.startsAt)}`);
}

function alertContext(alert: AlertmanagerAlert): AlertContext {
  return {
    fingerprint: alert.fingerprint,
    status: alert.status,
    startsAt: alert.startsAt,
    labels: alert.labels,
    annotations: alert.annotations,
    generatorURL: alert.generatorURL,
  };
}

/** The run's concurrency key as its workflow will render it; undefined when it cannot (the run then finds out itself). */
async function concurrencyKey(template: string, scope: Parameters<typeof renderTemplates>[1]): Promise<string | undefined> {
  try {
    return String(await renderTemplates(template, scope));
  } catch {
    return undefined;
  }
}

/** Labels as a run keeps them: untrusted, so a bounded number of bounded values. */
function cappedLabels(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).slice(0, 30).map(([name, value]) => [name.slice(0, 100), value.slice(0, 200)]));
}

async function exists(client: Client, workflowId: string): Promise<boolean> {
  try {
    await client.workflow.getHandle(workflowId).describe();
    return true;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

async function firing(deps: ReceiverDeps, alert: AlertmanagerAlert, { runbook, planHash, route }: Match): Promise<AlertDecision> {
  const base = { fingerprint: alert.fingerprint, status: alert.status, runbookId: runbook.id, route: route.name };
  const runId = alertWorkflowId(runbook.id, route.name, alert);
  return deps.storm.serialise(runbook.id, async () => {
    // A repeat, a retry or an HA twin of an alert we already handled joins its run, paused or not.
    if (await exists(deps.client, runId)) return { ...base, decision: 'joined', runId };
    const paused = await deps.alertSwitch.get();
    if (paused.paused) return { ...base, decision: 'suppressed', reason: `alert-triggered starts are paused by ${paused.by}: ${paused.reason}` };
    const limits = runbook.triggers.alertLimits;
    const since = new Date(Date.now() - durationToMs(limits.window)).toISOString();
    const [running, startedInWindow] = await Promise.all([
      listRuns(deps.client, { runbookId: runbook.id, trigger: 'alert', status: 'Running' }, limits.maxConcurrent + 1),
      listRuns(deps.client, { runbookId: runbook.id, trigger: 'alert', since }, limits.maxStarts + 1),
    ]);
    const refusal = deps.storm.refusal(runbook.id, limits, {
      running: running.map((r) => r.runId),
      startedInWindow: startedInWindow.map((r) => r.runId),
      closed: startedInWindow.filter((r) => r.status !== 'Running').map((r) => r.runId),
    });
    if (refusal) return { ...base, decision: 'suppressed', reason: refusal };

    const context = alertContext(alert);
    const run = { id: runId, runbookId: runbook.id, startedBy: deps.sender };
    const override = deps.overrides?.of(runbook.id, route.name);
    let rendered: unknown;
    try {
      rendered = await renderTemplates({ ...route.params, ...override?.params }, { params: {}, steps: {}, run, alert: context });
    } catch (error) {
      return { ...base, decision: 'refused', reason: `route parameters: ${(error as Error).message}` };
    }
    const parsed = parametersSchemaFor(runbook.parameters).safeParse(rendered);
    if (!parsed.success) {
      const reason = parsed.error.issues.map((i) => `${pathToString(['params', ...i.path])}: ${i.message}`).join('; ');
      return { ...base, decision: 'refused', reason };
    }
    // A run the concurrency key would refuse is not started: the alert is refused here, with the
    // holder named, and the holder hears of it (the person watching the remediation sees it fire again).
    const key = runbook.concurrency?.onConflict === 'refuse' ? await concurrencyKey(runbook.concurrency.key, { params: parsed.data, steps: {}, run, alert: context }) : undefined;
    if (key !== undefined) {
      const holder = await deps.holders.holder(runbook.id, key);
      if (holder) {
        const reason = `run ${holder} holds the concurrency key "${key}"`;
        await deps.onHeldBack(holder, { at: new Date().toISOString(), route: route.name, fingerprint: alert.fingerprint, startsAt: alert.startsAt, labels: cappedLabels(alert.labels), reason });
        return { ...base, decision: 'refused', reason, heldBy: holder };
      }
    }
    let subRunbooks: SubRunbooks | undefined;
    try {
      subRunbooks = await deps.subRunbooksOf(runbook);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      return { ...base, decision: 'refused', reason: [error.message, ...error.details.map((d) => `${d.path}: ${d.message}`)].join('; ') };
    }
    try {
      await startRunWorkflow(deps.client, deps.settings, runId, {
        runbook,
        planHash,
        ...(subRunbooks && { subRunbooks }),
        params: parsed.data,
        trigger: { type: 'alert', by: deps.sender, route: route.name, alert: context },
      });
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return { ...base, decision: 'joined', runId };
      throw error;
    }
    deps.storm.recordStart(runbook.id, runId);
    if (key !== undefined) deps.holders.recordStart(runbook.id, key, runId);
    return { ...base, decision: 'started', runId };
  });
}

async function resolved(deps: ReceiverDeps, alert: AlertmanagerAlert, { runbook, route }: Match): Promise<AlertDecision> {
  const base = { fingerprint: alert.fingerprint, status: alert.status, runbookId: runbook.id, route: route.name };
  const runId = alertWorkflowId(runbook.id, route.name, alert);
  const signal: AlertResolvedSignal = { fingerprint: alert.fingerprint, resolvedAt: alert.endsAt ?? new Date().toISOString() };
  try {
    await deps.client.workflow.getHandle(runId).signal(runProtocol.signals.alertResolved, signal);
    return { ...base, decision: 'resolved', runId };
  } catch (error) {
    // No run (suppressed when it fired, or already finished): nothing to tell.
    if (error instanceof WorkflowNotFoundError) return { ...base, decision: 'resolved', reason: 'no running run for this alert' };
    throw error;
  }
}

/**
 * Decides what every alert of a notification does for every route it matches. Throws when
 * Temporal did not accept a start or signal, so the receiver answers 5xx and Alertmanager
 * retries: ids derived from the alert make the retry safe.
 */
export async function receiveAlerts(deps: ReceiverDeps, runbooks: { runbook: Runbook; planHash: string }[], alerts: AlertmanagerAlert[]) {
  const work = alerts.flatMap((alert) => {
    const matches = matchingRoutes(runbooks, alert.labels);
    if (matches.length === 0) return [Promise.resolve<AlertDecision>({ fingerprint: alert.fingerprint, status: alert.status, decision: 'unmatched' })];
    return matches.map((match) => (alert.status === 'firing' ? firing(deps, alert, match) : resolved(deps, alert, match)));
  });
  const settled = await Promise.allSettled(work);
  return {
    decisions: settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : [])),
    failures: settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as Error] : [])),
  };
}
