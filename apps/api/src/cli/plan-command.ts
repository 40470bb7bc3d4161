import type { Command } from 'commander';
import { routes, type PlanPreview, type PlanStage } from '@runwright/runbook';
import { apiClient } from './api-client.js';
import { connection, repeatable, withConnection, type ConnectionOptions } from './connection.js';
import { printJson } from './format.js';
import { collectParams } from './run-commands.js';

type Plan = Extract<PlanPreview, { ok: true }>;

function describeStages(stages: PlanStage[], indent: string): string[] {
  const lines: string[] = [];
  for (const stage of stages) {
    lines.push(`${indent}stage ${stage.stage}`);
    for (const node of stage.nodes) {
      const why = node.why ?? (node.condition && !node.condition.known ? `when ${node.condition.expression}` : '');
      const extras = [
        node.policies.runsOn && `on ${node.policies.runsOn}`,
        node.pending.length > 0 && `decided at run time: ${node.pending.join(', ')}`,
        node.branch?.takes && `takes ${node.branch.takes.join(', ')}`,
      ].filter(Boolean);
      lines.push(`${indent}  ${node.runs.padEnd(5)} ${node.id} (${node.kind})${node.title ? ` "${node.title}"` : ''}${why ? ` — ${why}` : ''}${extras.length ? ` [${extras.join('; ')}]` : ''}`);
      if (node.forEach) {
        const { items, itemsPending, batches } = node.forEach;
        lines.push(`${indent}        for each of ${items ? `${items.length} item(s): ${items.map((i) => i.key).join(', ')}` : `items from ${itemsPending ?? 'the run'}`}${batches ? ` in ${batches.length} batch(es)${batches[0]?.canary ? ', canary first' : ''}` : ''}`);
        if (batches) lines.push(`${indent}        batches: ${batches.map((b) => `${b.number}${b.canary ? ' (canary)' : ''}: ${b.keys.join(', ')}`).join(' | ')}`);
        lines.push(...describeStages(node.forEach.body, `${indent}        `));
      }
    }
  }
  return lines;
}

function describePlan(plan: Plan): string {
  const params = Object.entries(plan.params).map(([k, v]) => `  ${k} = ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  const lines = [`plan of ${plan.runbookId} (nothing is started)`, ...(params.length ? ['parameters:', ...params] : []), ...describeStages(plan.stages, '')];
  for (const checkpoint of plan.checkpoints) lines.push(`checkpoint ${checkpoint.nodeId}: ${String(checkpoint.title)}${checkpoint.runs === 'yes' ? '' : ` (${checkpoint.runs})`}`);
  if (plan.rollback.length > 0) lines.push(`rollback, newest first: ${plan.rollback.map((r) => `${r.nodeId} (${r.kind}${r.perItem ? ', per item' : ''})`).join(', ')}`);
  lines.push(`on cancel: ${plan.rollbackOnCancel ? 'roll back' : 'stop'}`);
  return `${lines.join('\n')}\n`;
}

async function planCommand(runbookId: string, options: ConnectionOptions & { param: string[]; paramJson: string[]; json?: boolean }): Promise<number> {
  const { url, token } = connection(options);
  const params = collectParams(options.param, options.paramJson);
  const plan = (await apiClient(url, token)(routes.previewRunbookPlan, { params: { runbookId }, body: { params } })) as Plan;
  if (options.json) printJson(plan);
  else process.stdout.write(describePlan(plan));
  return 0;
}

export function registerPlanCommand(program: Command): void {
  withConnection(program.command('plan'))
    .description('preview what a run would do with these parameters: stages, skips, checkpoints, rollback (starts nothing)')
    .argument('<runbookId>')
    .option('-p, --param <key=value>', 'a string parameter (repeatable)', repeatable, [])
    .option('-j, --param-json <key=json>', 'a parameter given as JSON (repeatable)', repeatable, [])
    .option('--json', 'print the plan as JSON')
    .action(async (runbookId: string, options: ConnectionOptions & { param: string[]; paramJson: string[]; json?: boolean }) => {
      process.exitCode = await planCommand(runbookId, options);
    });
}
