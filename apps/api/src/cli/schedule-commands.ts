import type { Command } from 'commander';
import { routes, scheduleOverlapSchema, type ScheduleView } from '@runwright/runbook';
import { apiClient } from './api-client.js';
import { connection, withConnection, type ConnectionOptions } from './connection.js';
import { printJson, table, time } from './format.js';
import { isoTime, oneOf } from './option-parsers.js';

interface Options extends ConnectionOptions {
  json?: boolean;
}

type Overlap = (typeof scheduleOverlapSchema.options)[number];

/** `postgres-failover:weekly` is short for `runwright:postgres-failover:weekly`, the id the API uses. */
function scheduleId(id: string): string {
  return id.startsWith('runwright:') ? id : `runwright:${id}`;
}

function describeSchedule(schedule: ScheduleView): string[] {
  const latest = schedule.recentRuns.at(-1);
  return [
    schedule.scheduleId,
    schedule.paused ? 'paused' : 'active',
    `${schedule.cron.join(' | ')}${schedule.timezone ? ` ${schedule.timezone}` : ''}`,
    schedule.overlap,
    schedule.paused ? '-' : time(schedule.nextRunsAt[0]),
    latest ? `${latest.runId} at ${time(latest.scheduledAt)}` : '-',
    schedule.note || '-',
  ];
}

async function listCommand(options: Options): Promise<number> {
  const { url, token } = connection(options);
  const { schedules } = await apiClient(url, token)(routes.listSchedules);
  if (options.json) printJson(schedules);
  else if (schedules.length === 0) process.stdout.write('no schedules: runbooks declare them under triggers.schedules\n');
  else process.stdout.write(table(['SCHEDULE', 'STATE', 'CRON', 'OVERLAP', 'NEXT', 'LAST RUN', 'NOTE'], schedules.map(describeSchedule)));
  return 0;
}

async function pauseCommand(id: string, paused: boolean, options: Options & { note?: string }): Promise<number> {
  const { url, token } = connection(options);
  const schedule = await apiClient(url, token)(routes.pauseSchedule, { params: { scheduleId: scheduleId(id) }, body: { paused, note: options.note ?? '' } });
  if (options.json) printJson(schedule);
  else process.stdout.write(`${schedule.scheduleId}: ${schedule.paused ? 'paused' : `active, next at ${time(schedule.nextRunsAt[0])}`}${schedule.note ? ` (note: ${schedule.note})` : ''}\n`);
  return 0;
}

async function triggerCommand(id: string, options: Options): Promise<number> {
  const { url, token } = connection(options);
  const answer = await apiClient(url, token)(routes.triggerSchedule, { params: { scheduleId: scheduleId(id) } });
  if (options.json) printJson(answer);
  else process.stdout.write(`${answer.scheduleId}: triggered (under its overlap policy); see the run with: runwright runs --trigger schedule\n`);
  return 0;
}

async function backfillCommand(id: string, options: Options & { start: string; end: string; overlap?: Overlap }): Promise<number> {
  if (Date.parse(options.end) <= Date.parse(options.start)) throw new Error(`--end (${options.end}) must be after --start (${options.start})`);
  const { url, token } = connection(options);
  const answer = await apiClient(url, token)(routes.backfillSchedule, {
    params: { scheduleId: scheduleId(id) },
    body: { start: options.start, end: options.end, ...(options.overlap && { overlap: options.overlap }) },
  });
  if (options.json) printJson(answer);
  else process.stdout.write(`${answer.scheduleId}: ${answer.scheduledTimes} scheduled time(s) from ${time(answer.start)} to ${time(answer.end)} started now (overlap ${answer.overlap})\n`);
  return 0;
}

export function registerScheduleCommands(program: Command): void {
  const schedules = program
    .command('schedules')
    .description('runbook schedules (Temporal Schedules): list, pause, unpause, trigger now, backfill')
    .addHelpText('after', '\nA schedule id is runwright:<runbookId>:<name>; the runwright: prefix may be left out.');

  withConnection(schedules.command('list', { isDefault: true }))
    .description('every schedule with its state, next time and last run (the default)')
    .option('--json', 'print the schedules as JSON')
    .action(async (options: Options) => {
      process.exitCode = await listCommand(options);
    });

  for (const [name, paused] of [['pause', true], ['unpause', false]] as const) {
    withConnection(schedules.command(name))
      .description(paused ? 'pause a schedule, with a note saying why' : 'let a paused schedule run again')
      .argument('<scheduleId>')
      .option('--note <text>', 'why (shown with the schedule)')
      .option('--json', 'print the schedule as JSON')
      .action(async (id: string, options: Options & { note?: string }) => {
        process.exitCode = await pauseCommand(id, paused, options);
      });
  }

  withConnection(schedules.command('trigger'))
    .description("start the schedule's run now (a drill on demand)")
    .argument('<scheduleId>')
    .option('--json', 'print the answer as JSON')
    .action(async (id: string, options: Options) => {
      process.exitCode = await triggerCommand(id, options);
    });

  withConnection(schedules.command('backfill'))
    .description('run the scheduled times of a past window now, e.g. drills missed during an outage')
    .argument('<scheduleId>')
    .requiredOption('--start <time>', 'window start (inclusive), ISO time', isoTime)
    .requiredOption('--end <time>', 'window end (exclusive), ISO time', isoTime)
    .option('--overlap <policy>', `overlap policy for these runs: ${scheduleOverlapSchema.options.join(', ')}`, oneOf(scheduleOverlapSchema.options))
    .option('--json', 'print the answer as JSON')
    .action(async (id: string, options: Options & { start: string; end: string; overlap?: Overlap }) => {
      process.exitCode = await backfillCommand(id, options);
    });
}
