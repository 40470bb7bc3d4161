import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { runProtocol, searchAttributes, type RunSummary } from '@runwright/runbook';
import { searchKeys } from './search-keys.js';

export interface RunFilter {
  runbookId?: string | undefined;
  status?: string | undefined;
  trigger?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  dryRun?: boolean | undefined;
}

/** Values are validated by the contract already; quoting is escaped anyway, as defence in depth. */
const quote = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** A visibility query over interpreter runs only. */
export function runsQuery(filter: RunFilter): string {
  const clauses = [`WorkflowType = ${quote(runProtocol.workflowType)}`];
  if (filter.runbookId) clauses.push(`${searchAttributes.runbookId.name} = ${quote(filter.runbookId)}`);
  if (filter.trigger) clauses.push(`${searchAttributes.trigger.name} = ${quote(filter.trigger)}`);
  if (filter.dryRun === true) clauses.push(`${searchAttributes.dryRun.name} = true`);
  // Runs started before the attribute existed have none: they were real runs.
  if (filter.dryRun === false) clauses.push(`(${searchAttributes.dryRun.name} = false OR ${searchAttributes.dryRun.name} IS NULL)`);
  if (filter.status) clauses.push(`ExecutionStatus = ${quote(filter.status)}`);
  if (filter.since) clauses.push(`StartTime >= ${quote(new Date(filter.since).toISOString())}`);
  if (filter.until) clauses.push(`StartTime < ${quote(new Date(filter.until).toISOString())}`);
  return clauses.join(' AND ');
}

function statusName(name: string): string {
  // Visibility spells them TimedOut, ContinuedAsNew…; the client's enum spells TIMED_OUT.
  return name
    .toLowerCase()
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('')
    .replace('Cancelled', 'Canceled');
}

export function summariseRun(execution: WorkflowExecutionInfo): RunSummary {
  const attributes = execution.typedSearchAttributes;
  const runbookId = attributes.get(searchKeys.runbookId);
  const trigger = attributes.get(searchKeys.trigger);
  const planHash = attributes.get(searchKeys.planHash);
  const dryRun = attributes.get(searchKeys.dryRun) === true;
  return {
    runId: execution.workflowId,
    ...(runbookId && { runbookId }),
    ...(trigger && { trigger }),
    ...(planHash && { planHash }),
    status: statusName(execution.status.name),
    dryRun,
    startTime: execution.startTime.toISOString(),
    ...(execution.closeTime && { closeTime: execution.closeTime.toISOString() }),
  };
}

export async function listRuns(client: Client, filter: RunFilter, limit: number): Promise<RunSummary[]> {
  const runs: RunSummary[] = [];
  for await (const execution of client.workflow.list({ query: runsQuery(filter), pageSize: Math.min(limit, 200) })) {
    runs.push(summariseRun(execution));
    if (runs.length >= limit) break;
  }
  // Newest first, whatever order the visibility store chose.
  return runs.sort((a, b) => (a.startTime < b.startTime ? 1 : a.startTime > b.startTime ? -1 : 0));
}
