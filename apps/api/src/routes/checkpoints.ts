import type { Router } from 'express';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import {
  apiErrors,
  decisionProblems,
  routes,
  runProtocol,
  type DecideCheckpointInput,
  type DecideCheckpointResult,
  type DecisionProblemCode,
  type RunState,
} from '@runwright/runbook';
import { ApiError } from '../http/api-error.js';
import { bindRoute } from '../http/bind-route.js';
import type { Metrics } from '../metrics.js';
import type { AppContext } from '../app-context.js';
import { readRun } from './runs.js';

// Codes the rules may add later answer 400 until they are placed here.
const statusOf: Record<DecisionProblemCode, number> & Record<string, number | undefined> = {
  not_pending: 409,
  plan_mismatch: 409,
  already_decided: 409,
  not_allowed: 403,
  four_eyes: 403,
  checklist: 400,
};

/**
 * The checkpoint a decision is for. Inside a forEach, one node waits once per item: the item key
 * picks one, and may be left out only while a single item waits there (as the workflow rules).
 */
function pendingCheckpoint(pending: RunState['pendingCheckpoints'], nodeId: string, itemKey: string | undefined) {
  const atNode = pending.filter((p) => p.nodeId === nodeId);
  if (itemKey !== undefined) {
    const forItem = atNode.find((p) => p.item?.key === itemKey);
    if (!forItem && atNode.length > 0) {
      throw new ApiError(409, apiErrors.conflict, `no item "${itemKey}" waits at "${nodeId}"`, [{ path: 'body.itemKey', message: `waiting items: ${atNode.map((p) => p.item?.key ?? '(none)').join(', ')}` }]);
    }
    return forItem;
  }
  if (atNode.length > 1) {
    const keys = atNode.map((p) => p.item?.key ?? '(none)').join(', ');
    throw new ApiError(400, apiErrors.validation, `${atNode.length} items wait at "${nodeId}": say which with itemKey`, [{ path: 'body.itemKey', message: `one of: ${keys}` }]);
  }
  return atNode[0];
}

export function checkpointRoutes(router: Router, { temporal }: AppContext, metrics: Metrics): void {
  bindRoute(router, routes.decideCheckpoint, async ({ params, body, identity }) => {
    const { handle, state } = await readRun(temporal.client, params.runId);
    const input: DecideCheckpointInput = {
      nodeId: params.nodeId,
      decision: body.decision,
      planHash: body.planHash,
      decider: { user: identity.user, roles: identity.roles },
      ...(body.comment !== undefined && { comment: body.comment }),
      ...(body.checklist !== undefined && { checklist: body.checklist }),
      ...(body.action !== undefined && { action: body.action }),
      ...(body.itemKey !== undefined && { itemKey: body.itemKey }),
    };
    const pending = pendingCheckpoint(state.pendingCheckpoints, params.nodeId, body.itemKey);
    const problems = decisionProblems(pending, input, { startedBy: state.startedBy, planHash: state.planHash });
    if (problems.length > 0) {
      // The most fundamental problem decides the status: conflict, then permission, then the checklist.
      const status = Math.max(...problems.map((p) => ((statusOf[p.code] ?? 400) === 400 ? 0 : statusOf[p.code]!))) || 400;
      const code = status === 409 ? apiErrors.conflict : status === 403 ? apiErrors.forbidden : apiErrors.validation;
      throw new ApiError(
        status,
        code,
        problems.map((p) => p.message).join('; '),
        problems.map((p) => ({ path: p.code === 'checklist' ? 'body.checklist' : (p.code as string) === 'action' ? 'body.action' : 'body', message: p.message })),
      );
    }
    try {
      const result = await handle.executeUpdate<DecideCheckpointResult, [DecideCheckpointInput]>(
        runProtocol.updates.decideCheckpoint,
        { args: [input] },
      );
      // Quorum checkpoints stay open after one approval; the wait ends with the deciding vote.
      if (pending && result.outcome !== 'pending') {
        const waited = (Date.now() - Date.parse(pending.since)) / 1000;
        if (Number.isFinite(waited)) {
          metrics.checkpointWait.observe({ runbook: state.runbookId, kind: pending.kind ?? 'approval', outcome: result.action ?? result.outcome }, Math.max(0, waited));
        }
      }
      return { status: 200 as const, body: { outcome: result.outcome, decision: result.decision, ...(result.action && { action: result.action }) } };
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) {
        // The workflow's validator is the last line: the state changed between our read and the update.
        const message = error.cause?.message ?? error.message;
        throw new ApiError(409, apiErrors.conflict, message, [{ path: 'body', message }]);
      }
      throw error;
    }
  });
}
