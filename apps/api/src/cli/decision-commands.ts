import type { Command } from 'commander';
import { failureActionSchema, routes, type FailureAction, type PendingCheckpoint } from '@runwright/runbook';
import { apiClient } from './api-client.js';
import { connection, repeatable, withConnection, type ConnectionOptions } from './connection.js';
import { printJson } from './format.js';
import { oneOf } from './option-parsers.js';
import { collectParams } from './run-commands.js';

interface DecisionOptions extends ConnectionOptions {
  comment?: string;
  check?: string[];
  answer?: string[];
  item?: string;
  json?: boolean;
}

/** `-a id=value` answers are text; number and yes/no items get the type the checklist asks for. */
function checklistAnswers(pending: PendingCheckpoint | undefined, checks: string[], answers: string[]): Record<string, unknown> {
  const typed = Object.entries(collectParams(answers, [])).map(([id, value]) => {
    const type = pending?.checklist.find((item) => item.id === id)?.type;
    if (type === 'number' && value !== '' && !Number.isNaN(Number(value))) return [id, Number(value)];
    if (type === 'boolean' && /^(true|yes|false|no)$/i.test(String(value))) return [id, /^(true|yes)$/i.test(String(value))];
    return [id, value];
  });
  return { ...Object.fromEntries(checks.map((id) => [id, true])), ...Object.fromEntries(typed) };
}

async function decide(runId: string, nodeId: string, decision: 'approve' | 'reject', action: FailureAction | undefined, options: DecisionOptions): Promise<number> {
  const { url, token } = connection(options);
  const call = apiClient(url, token);
  // The decision is bound to the plan the run executes, read just before deciding.
  const run = await call(routes.getRun, { params: { runId } });
  // Inside a forEach one node waits once per item; the API asks which when several do.
  const pending = run.state.pendingCheckpoints.find((p) => p.nodeId === nodeId && (options.item === undefined || p.item?.key === options.item));
  if (pending?.kind === 'failure' && !action) {
    throw new Error(`"${nodeId}" failed and waits for an action: runwright act ${runId} ${nodeId} ${(pending.actions ?? []).join('|')}`);
  }
  if (pending && pending.kind !== 'failure' && action) {
    throw new Error(`"${nodeId}" is an approval checkpoint, not a failed node: runwright approve|reject ${runId} ${nodeId}`);
  }
  const checklist = checklistAnswers(pending, options.check ?? [], options.answer ?? []);
  const result = await call(routes.decideCheckpoint, {
    params: { runId, nodeId },
    body: {
      decision,
      planHash: run.state.planHash,
      ...(action && { action }),
      ...(options.item !== undefined && { itemKey: options.item }),
      ...(options.comment !== undefined && { comment: options.comment }),
      ...(Object.keys(checklist).length > 0 && { checklist }),
    },
  });
  if (options.json) printJson(result);
  else if (result.action) process.stdout.write(`${nodeId}: ${result.action} chosen by ${result.decision.by}\n`);
  else if (result.outcome === 'pending') process.stdout.write(`${nodeId}: ${result.decision.by}'s approval recorded; it needs ${pending?.quorum ?? 'more'} in all\n`);
  else process.stdout.write(`${nodeId}: ${result.outcome} by ${result.decision.by}\n`);
  return 0;
}

export function registerDecisionCommands(program: Command): void {
  const checklistOptions = (command: Command) =>
    command
      .option('-m, --comment <text>', 'comment recorded with the decision')
      .option('-c, --check <itemId>', 'tick a checklist item (repeatable)', repeatable, [])
      .option('-a, --answer <itemId=value>', 'answer a text, number or yes/no checklist item (repeatable)', repeatable, [])
      .option('-i, --item <key>', 'the forEach item, when several items wait at the node')
      .option('--json', 'print the decision as JSON');

  checklistOptions(withConnection(program.command('approve')))
    .description('approve (or --reject) a pending checkpoint')
    .argument('<runId>')
    .argument('<nodeId>')
    .option('--reject', 'reject instead of approving')
    .action(async (runId: string, nodeId: string, options: DecisionOptions & { reject?: boolean }) => {
      process.exitCode = await decide(runId, nodeId, options.reject ? 'reject' : 'approve', undefined, options);
    });

  checklistOptions(withConnection(program.command('reject')))
    .description('reject a pending checkpoint, saying why')
    .argument('<runId>')
    .argument('<nodeId>')
    .action(async (runId: string, nodeId: string, options: DecisionOptions) => {
      if (!options.comment?.trim()) throw new Error('a rejection needs a reason: --comment <text>');
      process.exitCode = await decide(runId, nodeId, 'reject', undefined, options);
    });

  withConnection(program.command('act'))
    .alias('decide')
    .description('choose what happens to a failed node that asks a person (onFailure: ask)')
    .argument('<runId>')
    .argument('<nodeId>')
    .argument('<action>', `one of ${failureActionSchema.options.join(', ')}`, oneOf(failureActionSchema.options))
    .option('-m, --comment <text>', 'comment recorded with the decision')
    .option('-i, --item <key>', 'the forEach item, when several items fail at the node')
    .option('--json', 'print the decision as JSON')
    .action(async (runId: string, nodeId: string, action: FailureAction, options: DecisionOptions) => {
      process.exitCode = await decide(runId, nodeId, 'approve', action, options);
    });
}
