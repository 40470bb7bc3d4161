import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { drillTriggerText, routes, type DrillReport, type DrillVerdict, type Objectives } from '@runwright/runbook';
import { apiClient, apiTextClient } from './api-client.js';
import { connection, withConnection, type ConnectionOptions } from './connection.js';
import { printJson, seconds, table, time } from './format.js';
import { integerBetween, oneOf } from './option-parsers.js';

/** A CI job gates on a drill with the exit status: 0 passed, 1 failed, 3 no verdict yet (incomplete). */
const verdictExitCodes: Record<DrillVerdict, number> = { passed: 0, failed: 1, incomplete: 3 };

const formats = ['text', 'json', 'markdown', 'html'] as const;
type Format = (typeof formats)[number];

interface ReportOptions extends ConnectionOptions {
  format: Format;
  json?: boolean;
  output?: string;
  wait?: boolean;
  waitTimeout: number;
}

const closed = (report: DrillReport) => report.status !== 'running' && report.status !== 'waiting';

function objectivesLine(objectives: Objectives): string {
  const parts = [
    objectives.rtoSeconds !== undefined && `RTO ${seconds(objectives.rtoSeconds)}`,
    objectives.rpoSeconds !== undefined && `RPO ${seconds(objectives.rpoSeconds)}`,
  ].filter(Boolean);
  return `objectives: ${parts.join(', ') || 'none set'} (recovered at ${objectives.recoveredAt})`;
}

function describeReport(report: DrillReport): string {
  const lines = [
    `drill ${report.runId}: ${report.verdict.toUpperCase()}${report.dryRun ? ' (rehearsal: nothing real was measured)' : ''}`,
    `runbook ${report.runbookId} "${report.runbookTitle}", ${drillTriggerText(report.trigger)}`,
    `run ${report.status}, started ${time(report.startedAt)}${report.finishedAt ? `, finished ${time(report.finishedAt)}` : ''}`,
  ];
  for (const result of report.results) {
    const verdict = result.met === null ? 'not measured' : result.met ? 'met' : 'MISSED';
    lines.push(`  ${result.objective.toUpperCase()}: ${seconds(result.measuredSeconds)} measured, objective ${seconds(result.targetSeconds)} — ${verdict}`);
  }
  if (report.results.length === 0) lines.push(`  recovery ${seconds(report.measured.recoverySeconds)}, data loss ${seconds(report.measured.dataLossSeconds)}; ${objectivesLine(report.objectives)}`);
  for (const deviation of report.deviations) lines.push(`  deviation (${deviation.type}${deviation.nodeId ? `, ${deviation.nodeId}` : ''}): ${deviation.message}`);
  return `${lines.join('\n')}\n`;
}

async function reportCommand(runId: string, options: ReportOptions): Promise<number> {
  const format: Format = options.json ? 'json' : options.format;
  const { url, token } = connection(options);
  const call = apiClient(url, token);
  let report = await call(routes.getDrillReport, { params: { runId } });
  // A gate waits for the verdict: until the run closes (a drill may wait at its sign-off for a while).
  const deadline = Date.now() + options.waitTimeout * 1000;
  while (options.wait && !closed(report)) {
    if (Date.now() > deadline) throw new Error(`run ${runId} is still ${report.status} after --wait-timeout ${options.waitTimeout} s`);
    await new Promise((done) => setTimeout(done, 1_000));
    report = await call(routes.getDrillReport, { params: { runId } });
  }
  const callText = apiTextClient(url, token);
  const text =
    format === 'json'
      ? `${JSON.stringify(report, null, 2)}\n`
      : format === 'markdown'
        ? await callText(routes.getDrillReportMarkdown, { params: { runId } })
        : format === 'html'
          ? await callText(routes.getDrillReportHtml, { params: { runId } })
          : describeReport(report);
  if (options.output) {
    await writeFile(options.output, text);
    process.stdout.write(`drill ${runId}: ${report.verdict.toUpperCase()} — ${format} report written to ${options.output}\n`);
  } else {
    process.stdout.write(text);
  }
  if (report.verdict === 'incomplete') process.stderr.write(`no verdict yet: ${report.deviations[0]?.message ?? 'the run has not reached recovery'}\n`);
  return verdictExitCodes[report.verdict];
}

async function drillsCommand(runbookId: string, options: ConnectionOptions & { json?: boolean; limit?: number }): Promise<number> {
  const { url, token } = connection(options);
  const history = await apiClient(url, token)(routes.listDrills, { params: { runbookId } });
  const drills = options.limit ? history.drills.slice(0, options.limit) : history.drills;
  if (options.json) {
    printJson({ ...history, drills });
    return 0;
  }
  process.stdout.write(`${history.runbookId} ${objectivesLine(history.objectives)}; verdicts are against the objectives each drill ran with\n`);
  if (drills.length === 0) {
    process.stdout.write('no drills yet\n');
    return 0;
  }
  // Objectives may have changed since: each verdict judged its drill by the objectives it ran with.
  const { rtoSeconds, rpoSeconds } = history.objectives;
  process.stdout.write(
    table(
      ['STARTED', 'RUN', 'TRIGGER', 'STATUS', `RECOVERY${rtoSeconds === undefined ? '' : ` (RTO ${seconds(rtoSeconds)})`}`, `DATA LOSS${rpoSeconds === undefined ? '' : ` (RPO ${seconds(rpoSeconds)})`}`, 'VERDICT'],
      drills.map((d) => [time(d.startedAt), d.runId, d.trigger.type, d.status, seconds(d.recoverySeconds), seconds(d.dataLossSeconds), `${d.verdict}${d.dryRun ? ' (rehearsal)' : ''}`]),
    ),
  );
  return 0;
}

export function registerReportCommands(program: Command): void {
  withConnection(program.command('report'))
    .description("a drill run's report; exit status 0 passed, 1 failed, 3 no verdict yet (for CI gates)")
    .argument('<runId>')
    .option('-f, --format <format>', `${formats.join(', ')}`, oneOf(formats), 'text')
    .option('--json', 'the same as --format json')
    .option('-o, --output <file>', 'write the report to this file and print only the verdict')
    .option('--wait', 'wait for the run to close before judging it')
    .option('--wait-timeout <seconds>', 'give up waiting after this long (exit 2)', integerBetween(1, 7 * 86_400), 3_600)
    .action(async (runId: string, options: ReportOptions) => {
      process.exitCode = await reportCommand(runId, options);
    });

  withConnection(program.command('drills'))
    .description("a drill runbook's drills, newest first: recovery and data loss against the objectives, verdicts")
    .argument('<runbookId>')
    .option('-n, --limit <n>', 'only the newest n', integerBetween(1, 10_000))
    .option('--json', 'print the history as JSON')
    .action(async (runbookId: string, options: ConnectionOptions & { json?: boolean; limit?: number }) => {
      process.exitCode = await drillsCommand(runbookId, options);
    });
}
