import type { DrillReport, ObjectiveResult } from './drill-report-schema.js';
import { drillTriggerText } from './drill-report.js';
import { answerText, escapeMarkdown as md, secondsText as seconds } from './escape.js';

const met = (result: ObjectiveResult) => (result.met === null ? 'not measured' : result.met ? 'met' : '**missed**');

/** The report as a Markdown page, for a ticket or a wiki. Every value from the run is escaped. */
export function drillReportMarkdown(report: DrillReport): string {
  const lines: string[] = [
    `# Drill report: ${md(report.runbookTitle)}`,
    '',
    `**Verdict: ${report.verdict.toUpperCase()}**`,
    '',
    `- Run: ${md(report.runId)} (${md(report.status)})`,
    `- Runbook: ${md(report.runbookId)}, plan ${md(report.planHash)}`,
    `- Trigger: ${md(drillTriggerText(report.trigger))}`,
    `- Started: ${md(report.startedAt)}${report.finishedAt ? `, finished: ${md(report.finishedAt)}` : ''}`,
    `- Recovery measured from ${md(report.measured.recoveryStartedAt ?? 'the run start')} until ${md(report.objectives.recoveredAt)} succeeded${report.measured.recoveredAt ? ` at ${md(report.measured.recoveredAt)}` : ''}`,
    '',
    '## Objectives',
    '',
    '| Objective | Target | Measured | Result |',
    '| --- | --- | --- | --- |',
    ...report.results.map((r) => `| ${r.objective.toUpperCase()} | ${r.targetSeconds} s | ${seconds(r.measuredSeconds)} | ${met(r)} |`),
    '',
    '## Deviations',
    '',
    ...(report.deviations.length === 0 ? ['None.'] : report.deviations.map((d) => `- ${md(d.type)}: ${md(d.message)}`)),
    '',
    '## Timeline',
    '',
    '| Time | Step | Status | Attempts | Duration | Details |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const entry of report.timeline) {
    if (entry.type === 'step') {
      const details = [entry.outcome, entry.error].filter((x) => x !== undefined).join('; ');
      lines.push(
        `| ${md(entry.startedAt ?? '')} | ${md(entry.title)} (${md(entry.nodeId)}) | ${md(entry.status)} | ${entry.attempts} | ${entry.durationSeconds === undefined ? '' : `${entry.durationSeconds} s`} | ${md(details)} |`,
      );
    } else {
      const answers = entry.checklist.map((a) => `${md(a.label)}: ${md(answerText(a.answer))}`).join('; ');
      const comment = entry.comment ? ` — “${md(entry.comment)}”` : '';
      lines.push(`| ${md(entry.at)} | ${md(entry.title)} (${md(entry.nodeId)}) | ${md(entry.decision)} by ${md(entry.by)} | | | ${answers}${comment} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}
