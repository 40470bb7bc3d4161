import type { Command } from 'commander';
import { routes, type InboxEntry } from '@runwright/runbook';
import { apiClient } from './api-client.js';
import { connection, withConnection, type ConnectionOptions } from './connection.js';
import { printJson, time } from './format.js';

/** One checkpoint as a block: what it asks, who may answer, what to tick, and the command that answers it. */
function describeEntry(entry: InboxEntry): string {
  const where = `${entry.runId} ${entry.nodeId}${entry.item ? ` --item ${entry.item.key}` : ''}`;
  const lines = [
    `${entry.runId}  ${entry.nodeId}${entry.item ? ` (item ${entry.item.key} of ${entry.item.forEachId})` : ''}  — ${entry.title}`,
    `  runbook ${entry.runbookId}, started by ${entry.startedBy}; waiting since ${time(entry.since)}${entry.deadline ? `, times out ${time(entry.deadline)}` : ''}`,
    `  who: ${[...entry.approvers.roles.map((r) => `role ${r}`), ...entry.approvers.users].join(', ') || 'nobody named'}` +
      `${entry.quorum > 1 ? `; ${entry.approvals.length} of ${entry.quorum} approvals` : ''}${entry.fourEyes ? `; four-eyes (not ${entry.startedBy})` : ''}`,
  ];
  // A failure checkpoint's instructions repeat the failure, printed below.
  if (entry.instructions && entry.kind !== 'failure') lines.push(...entry.instructions.trim().split('\n').map((line) => `  | ${line}`));
  if (entry.kind === 'failure') {
    lines.push(`  failed: ${entry.failure?.message ?? 'no message'}`);
    lines.push(`  choose: runwright act ${where} ${(entry.actions ?? []).join('|')}`);
  } else {
    for (const item of entry.checklist) {
      lines.push(`  [${item.required ? 'required' : 'optional'}] ${item.id}: ${item.label}${item.type === 'tick' ? '' : ` (${item.type})`}`);
    }
    const ticks = entry.checklist.filter((i) => i.required && i.type === 'tick').map((i) => ` -c ${i.id}`);
    const answers = entry.checklist.filter((i) => i.required && i.type !== 'tick').map((i) => ` -a ${i.id}=…`);
    lines.push(`  approve: runwright approve ${where}${ticks.join('')}${answers.join('')}`);
    lines.push(`  reject:  runwright reject ${where} --comment "why"`);
  }
  return lines.join('\n');
}

async function inboxCommand(options: ConnectionOptions & { runbook?: string; json?: boolean }): Promise<number> {
  const { url, token } = connection(options);
  const inbox = await apiClient(url, token)(routes.listCheckpoints, { query: { runbookId: options.runbook } });
  if (options.json) printJson(inbox);
  else if (inbox.checkpoints.length === 0) process.stdout.write('nothing waits for a decision\n');
  else process.stdout.write(`${inbox.checkpoints.map(describeEntry).join('\n\n')}\n`);
  // A run the API could not read may hold a checkpoint nobody sees: say so on every format.
  if (inbox.unreachableRuns.length > 0) process.stderr.write(`could not read ${inbox.unreachableRuns.length} run(s), their checkpoints may be missing: ${inbox.unreachableRuns.join(', ')}\n`);
  return 0;
}

export function registerInboxCommand(program: Command): void {
  withConnection(program.command('inbox'))
    .description('pending checkpoints across runs: what each asks, its checklist, and how to answer')
    .option('-r, --runbook <runbookId>', 'only checkpoints of this runbook')
    .option('--json', 'print the inbox as JSON')
    .action(async (options: ConnectionOptions & { runbook?: string; json?: boolean }) => {
      process.exitCode = await inboxCommand(options);
    });
}
