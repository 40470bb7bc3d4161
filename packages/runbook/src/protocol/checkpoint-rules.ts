import type { ChecklistItem } from '../steps/checkpoint.js';
import type { DecideCheckpointInput } from './run-protocol.js';
import type { PendingCheckpoint } from './run-state.js';

function answerProblem(item: ChecklistItem, answer: unknown, approving: boolean): string | undefined {
  const missing = answer === undefined || answer === null || answer === '';
  if (missing) return approving && item.required ? `checklist item "${item.id}" (${item.label}) is required` : undefined;
  switch (item.type) {
    case 'tick':
      if (typeof answer !== 'boolean') return `checklist item "${item.id}" must be ticked (true) or not (false)`;
      return approving && item.required && !answer ? `checklist item "${item.id}" (${item.label}) must be ticked to approve` : undefined;
    case 'boolean':
      return typeof answer === 'boolean' ? undefined : `checklist item "${item.id}" must be true or false`;
    case 'number':
      return typeof answer === 'number' && Number.isFinite(answer) ? undefined : `checklist item "${item.id}" must be a number`;
    case 'text':
      return typeof answer === 'string' ? undefined : `checklist item "${item.id}" must be text`;
  }
}

export type DecisionProblemCode = 'not_pending' | 'plan_mismatch' | 'not_allowed' | 'four_eyes' | 'already_decided' | 'checklist';
export interface DecisionProblem {
  code: DecisionProblemCode;
  message: string;
}

/**
 * Why a decision may not be taken, or an empty list when it may. The API runs these rules
 * before it sends the update; the workflow's validator runs them again as the last line.
 */
export function decisionProblems(
  pending: PendingCheckpoint | undefined,
  input: DecideCheckpointInput,
  context: { startedBy: string; planHash: string },
): DecisionProblem[] {
  if (!pending) return [{ code: 'not_pending', message: `no checkpoint "${input.nodeId}" is waiting for a decision` }];
  const problems: DecisionProblem[] = [];
  const add = (code: DecisionProblemCode, message: string) => problems.push({ code, message });
  if (input.planHash !== context.planHash) {
    add('plan_mismatch', `the decision is for plan ${input.planHash}, but this run executes ${context.planHash}`);
  }
  const { user, roles } = input.decider;
  const allowed = pending.approvers.users.includes(user) || roles.some((role) => pending.approvers.roles.includes(role));
  if (!allowed) {
    add(
      'not_allowed',
      `${user} may not decide this checkpoint (allowed: ${[...pending.approvers.roles.map((r) => `role ${r}`), ...pending.approvers.users].join(', ')})`,
    );
  }
  if (pending.fourEyes && user === context.startedBy) {
    add('four_eyes', `four-eyes: ${user} started this run and may not decide its checkpoints`);
  }
  if (pending.approvals.some((d) => d.by === user)) add('already_decided', `${user} has already decided this checkpoint`);

  if (pending.kind === 'failure') {
    const actions = pending.actions ?? [];
    if (!input.action || !actions.includes(input.action)) add('checklist', `choose an action for the failed node: one of ${actions.join(', ')}`);
  } else if (input.action) {
    add('checklist', `"${input.nodeId}" is an approval checkpoint: approve or reject it, without an action`);
  }

  const answers = input.checklist ?? {};
  const known = new Set(pending.checklist.map((item) => item.id));
  for (const key of Object.keys(answers)) {
    if (!known.has(key)) add('checklist', `checklist has no item "${key}"`);
  }
  for (const item of pending.checklist) {
    const problem = answerProblem(item, answers[item.id], input.decision === 'approve');
    if (problem) add('checklist', problem);
  }
  return problems;
}
