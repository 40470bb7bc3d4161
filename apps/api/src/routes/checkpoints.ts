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
} from '@runwright/runbook';
import { ApiError } from '../http/api-error.js';
import { bindRoute } from '../http/bind-route.js';
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

export function checkpointRoutes(router: Router, { temporal }: AppContext): void {
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
    };
    const pending = state.pendingCheckpoints.find((p) => p.nodeId === params.nodeId);
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
