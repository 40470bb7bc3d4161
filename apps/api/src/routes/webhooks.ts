import { createHash } from 'node:crypto';
import type { Request, Router } from 'express';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { apiErrors, parametersSchemaFor, pathToString, renderTemplates, routes, type Problem } from '@runwright/runbook';
import { origin } from '../audit/request-audit.js';
import { ApiError } from '../http/api-error.js';
import { bindRoute } from '../http/bind-route.js';
import { rawBodyOf } from '../http/raw-body.js';
import { resolveSubRunbooks } from '../runbooks/sub-runbooks.js';
import { startRunWorkflow } from '../temporal/start-run.js';
import { verify } from '../triggers/webhook-signature.js';
import type { AppContext } from '../app-context.js';
import { timedDelivery, type Metrics } from '../metrics.js';

export function webhookRoutes(router: Router, { runbooks, temporal, settings, audit, webhookSecrets, deliveries }: AppContext, metrics: Metrics): void {
  bindRoute(router, routes.receiveWebhook, async ({ params, request }) => {
    return timedDelivery(metrics, 'webhook', () => handle(params, request));
  });

  async function handle({ runbookId, hook }: { runbookId: string; hook: string }, request: Request) {
    const deliveryId = request.get('webhook-id') ?? '';
    const record = (outcome: string, extra: { runId?: string; reason?: string } = {}) =>
      audit.append({
        actor: { user: `webhook:${runbookId}/${hook}`, via: 'webhook' },
        from: origin(request),
        action: `webhook.${outcome}`,
        target: { runbookId, hook, deliveryId: deliveryId.slice(0, 200), ...(extra.runId && { runId: extra.runId }) },
        outcome,
        ...(extra.reason && { details: { reason: extra.reason } }),
      });
    const refuse = async (status: number, code: string, reason: string, details: Problem[] = []): Promise<never> => {
      await record('refused', { reason });
      throw new ApiError(status, code, reason, details);
    };

    // The signature comes first: an unsigned caller learns nothing about runbooks or hooks.
    const secret = await webhookSecrets.get(runbookId, hook);
    const body = rawBodyOf(request);
    const check = secret && body ? verify(secret, headersOf(request), body) : { ok: false as const, reason: 'unknown webhook or empty body' };
    if (!check.ok) return refuse(401, apiErrors.unauthorized, `signature refused: ${check.reason}`);
    if (!(await deliveries.firstSighting(`${runbookId}/${hook}/${deliveryId}`))) return refuse(409, apiErrors.conflict, `delivery ${deliveryId} was already received (replay)`);

    const stored = await runbooks.getValid(runbookId).catch(() => undefined);
    const route = stored?.runbook.triggers.webhooks.find((w) => w.name === hook);
    if (!stored || !route) return refuse(404, apiErrors.notFound, `runbook "${runbookId}" has no valid webhook "${hook}"`);
    const payload: unknown = request.body;
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
      return refuse(400, apiErrors.validation, 'the webhook body must be a JSON object', [{ path: 'body', message: 'expected a JSON object' }]);
    }

    const runId = `webhook-${runbookId}-${hook}-${createHash('sha256').update(deliveryId).digest('hex').slice(0, 24)}`;
    const by = `webhook:${hook}`;
    let rendered: unknown;
    try {
      rendered = await renderTemplates(route.params, { params: {}, steps: {}, run: { id: runId, runbookId, startedBy: by }, alert: payload });
    } catch (error) {
      return refuse(400, apiErrors.validation, `route parameters: ${(error as Error).message}`);
    }
    const parsed = parametersSchemaFor(stored.runbook.parameters).safeParse(rendered);
    if (!parsed.success) {
      const details = parsed.error.issues.map((i) => ({ path: pathToString(['params', ...i.path]), message: i.message }));
      return refuse(400, apiErrors.validation, 'the webhook body does not give valid parameters', details);
    }
    const subRunbooks = await resolveSubRunbooks(runbooks, stored.runbook).catch((error: unknown) => {
      if (error instanceof ApiError) return error;
      throw error;
    });
    if (subRunbooks instanceof ApiError) return refuse(subRunbooks.status, subRunbooks.code, subRunbooks.message, subRunbooks.details);
    try {
      await startRunWorkflow(temporal.client, settings, runId, {
        runbook: stored.runbook,
        planHash: stored.planHash,
        ...(subRunbooks && { subRunbooks }),
        params: parsed.data,
        trigger: { type: 'webhook', by, route: hook, deliveryId, payload },
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      await record('joined', { runId });
      return { status: 202 as const, body: { decision: 'joined' as const, runId } };
    }
    await record('started', { runId });
    metrics.runsStarted.inc({ runbook: runbookId, trigger: 'webhook' });
    return { status: 202 as const, body: { decision: 'started' as const, runId } };
  }

  bindRoute(router, routes.rotateWebhookSecret, async ({ params }) => {
    const stored = await runbooks.getValid(params.runbookId);
    if (!stored.runbook.triggers.webhooks.some((w) => w.name === params.hook)) {
      throw ApiError.notFound(`runbook "${params.runbookId}" has no webhook "${params.hook}"`);
    }
    return { status: 201 as const, body: { ...params, secret: await webhookSecrets.rotate(params.runbookId, params.hook) } };
  });
}

function headersOf(request: Request) {
  return { id: request.get('webhook-id'), timestamp: request.get('webhook-timestamp'), signature: request.get('webhook-signature') };
}
