import type { Request, Router } from 'express';
import type { z } from 'zod';
import { apiErrors, routes, runProtocol, type AlertHeldBackSignal } from '@runwright/runbook';
import type { Identity } from '../auth/identity.js';
import { origin } from '../audit/request-audit.js';
import { ApiError } from '../http/api-error.js';
import { bindRoute } from '../http/bind-route.js';
import { resolveSubRunbooks } from '../runbooks/sub-runbooks.js';
import { receiveAlerts } from '../triggers/alert-receiver.js';
import { readAlertRouteOverrides } from '../triggers/alert-route-overrides.js';
import { ConcurrencyHolders } from '../triggers/concurrency-holder.js';
import { StormControl } from '../triggers/storm-control.js';
import type { AppContext } from '../app-context.js';
import { timedDelivery, type Metrics } from '../metrics.js';

export function alertmanagerRoutes(router: Router, { runbooks, temporal, settings, audit, alertSwitch, log }: AppContext, metrics: Metrics): void {
  const storm = new StormControl();
  const holders = new ConcurrencyHolders(temporal.client);
  // Read once at start: a file with problems stops the API (createApp throws).
  const overrides = readAlertRouteOverrides(settings.RUNWRIGHT_ALERT_ROUTE_OVERRIDES);
  const onHeldBack = async (holder: string, signal: AlertHeldBackSignal) => {
    await temporal.client.workflow
      .getHandle(holder)
      .signal(runProtocol.signals.alertHeldBack, signal)
      .catch((error: unknown) => log.warn({ err: error, holder }, 'could not tell the run holding the key about a refused alert'));
  };

  bindRoute(router, routes.receiveAlerts, async ({ body, identity, request }) => {
    return timedDelivery(metrics, 'alertmanager', () => handle(body, identity, request));
  });

  async function handle(body: z.output<typeof routes.receiveAlerts.body>, identity: Identity, request: Request) {
    const valid = (await runbooks.list()).flatMap((s) => (s.result.ok ? [{ runbook: s.result.runbook, planHash: s.result.planHash }] : []));
    const { decisions, failures } = await receiveAlerts(
      { client: temporal.client, settings, storm, alertSwitch, sender: identity.user, subRunbooksOf: (runbook) => resolveSubRunbooks(runbooks, runbook), holders, overrides, onHeldBack },
      valid,
      body.alerts,
    );
    const labelsOf = new Map(body.alerts.map((a) => [a.fingerprint, a.labels]));
    // Every decision is recorded — suppressed and refused alerts above all, so none is silently dropped.
    for (const d of decisions) {
      metrics.alertDecisions.inc({ runbook: d.runbookId ?? '', decision: d.decision });
      if (d.decision === 'suppressed') metrics.alertsSuppressed.inc({ runbook: d.runbookId ?? '' });
      if (d.decision === 'started') metrics.runsStarted.inc({ runbook: d.runbookId ?? '', trigger: 'alert' });
      await audit.append({
        actor: { user: identity.user, via: 'webhook', tokenId: identity.tokenId },
        from: origin(request),
        action: `alert.${d.decision}`,
        target: Object.fromEntries(
          Object.entries({ runbookId: d.runbookId, route: d.route, fingerprint: d.fingerprint, runId: d.runId, heldBy: d.heldBy }).filter(([, v]) => v !== undefined),
        ) as Record<string, string>,
        outcome: d.decision,
        details: { receiver: body.receiver, labels: labelsOf.get(d.fingerprint) ?? {}, ...(d.reason && { reason: d.reason }), ...routeOverrideNote(d) },
      });
    }
    if (failures.length > 0) {
      log.error({ err: failures[0], failures: failures.length }, 'alert notification not fully handled; Alertmanager will retry');
      throw new ApiError(503, apiErrors.temporalUnavailable, `Temporal did not accept ${failures.length} start(s) or signal(s); retry`);
    }
    return { status: 200 as const, body: { decisions } };
  }

  /** Which route parameters the installation set, on the records of runs they went into. */
  function routeOverrideNote(d: { decision: string; runbookId?: string | undefined; route?: string | undefined }) {
    const override = d.decision === 'started' && d.runbookId && d.route ? overrides?.of(d.runbookId, d.route) : undefined;
    return override ? { routeOverride: { params: Object.keys(override.params), ...(override.reason && { reason: override.reason }), file: overrides!.file } } : {};
  }

  bindRoute(router, routes.getAlertSwitch, async () => ({ status: 200 as const, body: await alertSwitch.get() }));

  bindRoute(router, routes.setAlertSwitch, async ({ body, identity }) => ({
    status: 200 as const,
    body: await alertSwitch.set(body.paused, body.reason, identity.user),
  }));
}
