import type { Command } from 'commander';
import { routes, type PlanPreview, type PlannedForEach, type PlanStage } from '@runwright/runbook';
import { apiClient } from './api-client.js';
import { connection, repeatable, withConnection, type ConnectionOptions } from './connection.js';
import { printJson } from './format.js';
import { collectParams } from './run-commands.js';

type Plan = Extract<PlanPreview, { ok: true }>;

/** One gate between batches: after which batch, its id, and what holds the next batch back. */
function describeGate(gate: NonNullable<PlannedForEach['gates']>[number]): string {
  const parts = [gate.observe && `soak ${gate.observe.duration}/${gate.observe.interval}${gate.observe.guards.length ? ` [${gate.observe.guards.join(', ')}]` : ''}`, gate.checkpoint && 'sign-off'];
  return `after ${gate.afterBatch} ${gate.id}: ${parts.filter(Boolean).join(' + ')}`;
}

/** How often a checkpoint of a rollout waits, when the preview knows. */
function waitsOf(checkpoint: Plan['checkpoints'][number]): string {
  if (checkpoint.canaryOf) return ` — once, after the canary batch of ${checkpoint.canaryOf}`;
  const perBatch = checkpoint.batchGate;
  if (perBatch) return perBatch.waits === undefined ? ` — after each batch of ${perBatch.forEachId} but the last` : ` — ${perBatch.waits} time(s), after batch(es) ${perBatch.batches?.join(', ') || 'none'} of ${perBatch.forEachId}`;
  const perItem = checkpoint.perItem;
  if (perItem) return perItem.waits === undefined ? ` — once per item of ${perItem.forEachId}` : ` — ${perItem.waits} time(s), once per item of ${perItem.forEachId}`;
  return '';
}

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
        if (node.forEach.gates) lines.push(`${indent}        gates: ${node.forEach.gates.map(describeGate).join(' | ')}`);
        lines.push(...describeStages(node.forEach.body, `${indent}        `));
      }
    }
  }
  return lines;
}

function describePlan(plan: Plan): string {
  const params = Object.entries(plan.params).map(([k, v]) => `  ${k} = ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  const lines = [`plan of ${plan.runbookId} (nothing is started)`, ...(params.length ? ['parameters:', ...params] : []), ...describeStages(plan.stages, '')];
  for (const checkpoint of plan.checkpoints) lines.push(`checkpoint ${checkpoint.nodeId}: ${String(checkpoint.title)}${checkpoint.runs === 'yes' ? '' : ` (${checkpoint.runs})`}${waitsOf(checkpoint)}`);
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
