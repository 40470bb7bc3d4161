import type { Command } from 'commander';
import { runListStatusSchema, routes, triggerTypeSchema } from '@runwright/runbook';
import { apiClient } from './api-client.js';
import { connection, withConnection, type ConnectionOptions } from './connection.js';
import { printJson, table, time } from './format.js';
import { integerBetween, isoTime, oneOf } from './option-parsers.js';

interface RunsOptions extends ConnectionOptions {
  runbook?: string;
  status?: string;
  trigger?: string;
  since?: string;
  until?: string;
  limit: number;
  json?: boolean;
}

async function runsCommand(options: RunsOptions): Promise<number> {
  const { url, token } = connection(options);
  const { runs } = await apiClient(url, token)(routes.listRuns, {
    query: { runbookId: options.runbook, status: options.status, trigger: options.trigger, since: options.since, until: options.until, limit: String(options.limit) },
  });
  if (options.json) {
    printJson(runs);
    return 0;
  }
  if (runs.length === 0) {
    process.stderr.write('no runs match\n');
    return 0;
  }
  process.stdout.write(
    table(
      ['RUN', 'RUNBOOK', 'STATUS', 'TRIGGER', 'STARTED', 'CLOSED'],
      runs.map((run) => [run.runId, run.runbookId ?? '-', run.status, run.trigger ?? '-', time(run.startTime), time(run.closeTime)]),
    ),
  );
  if (runs.length === options.limit) process.stderr.write(`showing the newest ${options.limit}; raise --limit for more\n`);
  return 0;
}

async function cancelCommand(runId: string, options: ConnectionOptions & { reason: string; json?: boolean }): Promise<number> {
  const { url, token } = connection(options);
  const answer = await apiClient(url, token)(routes.cancelRun, { params: { runId }, body: { reason: options.reason } });
  if (options.json) printJson(answer);
  else process.stdout.write(`${answer.runId}: cancellation requested (rollback runs if the runbook says so; follow with: runwright status ${answer.runId})\n`);
  return 0;
}

export function registerRunsCommands(program: Command): void {
  withConnection(program.command('runs'))
    .description('list runs, newest first (Temporal visibility)')
    .option('-r, --runbook <runbookId>', 'only runs of this runbook')
    .option('-s, --status <status>', `only runs in this Temporal status: ${runListStatusSchema.options.join(', ')}`, oneOf(runListStatusSchema.options))
    .option('-t, --trigger <trigger>', `only runs started this way: ${triggerTypeSchema.options.join(', ')}`, oneOf(triggerTypeSchema.options))
    .option('--since <time>', 'only runs started at or after this ISO time', isoTime)
    .option('--until <time>', 'only runs started before this ISO time', isoTime)
    .option('-n, --limit <n>', 'at most this many runs (1-500)', integerBetween(1, 500), 50)
    .option('--json', 'print the runs as JSON')
    .action(async (options: RunsOptions) => {
      process.exitCode = await runsCommand(options);
    });

  withConnection(program.command('cancel'))
    .description('request cancellation of a running run')
    .argument('<runId>')
    .option('--reason <text>', 'why, recorded in the audit log', '')
    .option('--json', 'print the answer as JSON')
    .action(async (runId: string, options: ConnectionOptions & { reason: string; json?: boolean }) => {
      process.exitCode = await cancelCommand(runId, options);
    });
}
