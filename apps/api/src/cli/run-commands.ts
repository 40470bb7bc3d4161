import { routes, type RunView } from '@runwright/runbook';
import { apiClient } from './api-client.js';
import type { Connection } from './connection.js';

/** `-p key=value` gives a string; `-j key=<json>` gives any JSON value (numbers, lists…). */
export function collectParams(strings: string[], jsons: string[]): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  const split = (entry: string) => {
    const at = entry.indexOf('=');
    if (at < 1) throw new Error(`"${entry}" is not key=value`);
    return [entry.slice(0, at), entry.slice(at + 1)] as const;
  };
  for (const entry of strings) {
    const [key, value] = split(entry);
    params[key] = value;
  }
  for (const entry of jsons) {
    const [key, value] = split(entry);
    try {
      params[key] = JSON.parse(value);
    } catch {
      throw new Error(`the value of ${key} is not JSON: ${value}`);
    }
  }
  return params;
}

export async function runCommand(connection: Connection, runbookId: string, params: Record<string, unknown>, dryRun = false): Promise<number> {
  const call = apiClient(connection.url, connection.token);
  const started = await call(routes.startRun, { params: { runbookId }, body: { params, ...(dryRun && { dryRun }) } });
  process.stdout.write(`${started.runId}\n`);
  return 0;
}

function describeRun(run: RunView): string {
  const lines = [`run ${run.runId}: ${run.state.status} (Temporal: ${run.temporalStatus})`, `runbook ${run.state.runbookId}, started by ${run.state.startedBy} at ${run.state.startedAt}`];
  for (const [id, node] of Object.entries(run.state.nodes)) {
    lines.push(`  ${node.status.padEnd(11)} ${id}${node.attempts > 1 ? ` (attempt ${node.attempts})` : ''}${node.error ? ` — ${node.error.message}` : ''}`);
  }
  const heldBack = run.state.heldBackAlerts ?? [];
  if (heldBack.length > 0) lines.push(`alerts held back while this run works: ${run.state.heldBackAlertsTotal ?? heldBack.length}`);
  for (const alert of heldBack) {
    const labels = ['alertname', 'instance', 'mountpoint'].filter((name) => alert.labels[name] !== undefined).map((name) => `${name}=${JSON.stringify(alert.labels[name])}`);
    lines.push(`  ${alert.at} ${labels.join(' ')} (route ${alert.route}): ${alert.reason}`);
  }
  for (const pending of run.state.pendingCheckpoints) {
    const item = pending.item ? ` --item ${pending.item.key}` : '';
    if (pending.kind === 'failure') {
      lines.push(`waiting: ${pending.nodeId}${item} failed (${pending.failure?.message ?? 'no message'}) — choose with: runwright act ${run.runId} ${pending.nodeId}${item} ${(pending.actions ?? []).join('|')}`);
      continue;
    }
    lines.push(`waiting: ${pending.nodeId}${item} "${pending.title}" — approve with: runwright approve ${run.runId} ${pending.nodeId}${item}`);
    for (const item of pending.checklist) lines.push(`  [${item.required ? 'required' : 'optional'}] ${item.id}: ${item.label}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function statusCommand(connection: Connection, runId: string, options: { json?: boolean }): Promise<number> {
  const run = await apiClient(connection.url, connection.token)(routes.getRun, { params: { runId } });
  process.stdout.write(options.json ? `${JSON.stringify(run, null, 2)}\n` : describeRun(run));
  return 0;
}
