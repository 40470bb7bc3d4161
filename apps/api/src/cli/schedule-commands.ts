import type { Command } from 'commander';
import { overrideDifferences, routes, scheduleIdFromRef, scheduleOverlapSchema, type ScheduleOverride, type ScheduleView } from '@runwright/runbook';
import { apiClient } from './api-client.js';
import { connection, repeatable, withConnection, type ConnectionOptions } from './connection.js';
import { printJson, table, time } from './format.js';
import { isoTime, oneOf } from './option-parsers.js';
import { collectParams } from './run-commands.js';

interface Options extends ConnectionOptions {
  json?: boolean;
}

type Overlap = (typeof scheduleOverlapSchema.options)[number];

/** `dr-drill/weekly` and `dr-drill:weekly` are short for `runwright:dr-drill:weekly`, the id the API uses. */
function scheduleId(id: string): string {
  return scheduleIdFromRef(id) ?? id;
}

/** `*\/20 * * * * * * UTC` or `every 30s UTC`: when it fires, as Temporal runs it. */
function when(schedule: ScheduleView): string {
  const spec = schedule.every ? `every ${schedule.every}` : schedule.cron.join(' | ');
  return `${spec}${schedule.timezone ? ` ${schedule.timezone}` : ''}`;
}

function overrideText(schedule: ScheduleView): string {
  const override = schedule.override;
  if (!override) return '-';
  return override.source === 'api' ? `by ${override.by} at ${time(override.at)}` : 'settings file';
}

function describeSchedule(schedule: ScheduleView): string[] {
  const latest = schedule.recentRuns.at(-1);
  return [
    schedule.scheduleId,
    schedule.paused ? 'paused' : 'active',
    when(schedule),
    schedule.overlap,
    schedule.paused ? '-' : time(schedule.nextRunsAt[0]),
    latest ? `${latest.runId} at ${time(latest.scheduledAt)}` : '-',
    overrideText(schedule),
    schedule.note || '-',
  ];
}

async function listCommand(options: Options): Promise<number> {
  const { url, token } = connection(options);
  const { schedules } = await apiClient(url, token)(routes.listSchedules);
  if (options.json) printJson(schedules);
  else if (schedules.length === 0) process.stdout.write('no schedules: runbooks declare them under triggers.schedules\n');
  else process.stdout.write(table(['SCHEDULE', 'STATE', 'WHEN', 'OVERLAP', 'NEXT', 'LAST RUN', 'OVERRIDDEN', 'NOTE'], schedules.map(describeSchedule)));
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

interface OverrideOptions extends Options {
  cron?: string;
  every?: string;
  timezone?: string;
  param: string[];
  paramJson: string[];
  pause?: boolean;
  reason?: string;
  clear?: boolean;
}

/** Who overrode it, then what it changes, one line per part: the runbook's own value next to the override's. */
function overrideLines(schedule: ScheduleView): string[] {
  const { override } = schedule;
  if (!override) return [];
  const who = override.source === 'api' ? `through the API by ${override.by}` : 'by the settings file';
  return [
    `  overridden ${who} at ${time(override.at)}${override.reason ? `: ${override.reason}` : ''}`,
    ...overrideDifferences(schedule).map((d) => `  ${d.part}: ${d.runbook} -> ${d.override}`),
  ];
}

async function overrideCommand(id: string, options: OverrideOptions): Promise<number> {
  const { url, token } = connection(options);
  const call = apiClient(url, token);
  const params = { scheduleId: scheduleId(id) };
  if (options.clear) {
    const given = ['cron', 'every', 'timezone', 'pause', 'reason'].filter((name) => options[name as keyof OverrideOptions] !== undefined);
    if (given.length + options.param.length + options.paramJson.length > 0) throw new Error(`--clear takes no other override options (given: ${[...given, ...(options.param.length + options.paramJson.length > 0 ? ['param'] : [])].join(', ')})`);
    const answer = await call(routes.clearScheduleOverride, { params });
    if (options.json) printJson(answer);
    else {
      const now = answer.now === 'settings' ? "the settings file's override" : "the runbook's own schedule";
      process.stdout.write(`${answer.scheduleId}: override cleared; it runs on ${now}${answer.schedule ? ` (${when(answer.schedule)}, next at ${time(answer.schedule.nextRunsAt[0])})` : ''}\n`);
    }
    return 0;
  }
  const paramValues = collectParams(options.param, options.paramJson);
  const body: ScheduleOverride = {
    ...(options.cron !== undefined && { cron: options.cron }),
    ...(options.every !== undefined && { every: options.every }),
    ...(options.timezone !== undefined && { timezone: options.timezone }),
    ...(Object.keys(paramValues).length > 0 && { params: paramValues }),
    ...(options.pause !== undefined && { paused: options.pause }),
    ...(options.reason !== undefined && { reason: options.reason }),
  };
  const schedule = await call(routes.setScheduleOverride, { params, body });
  if (options.json) printJson(schedule);
  else {
    const state = schedule.paused ? 'paused' : `active, next at ${time(schedule.nextRunsAt[0])}`;
    process.stdout.write([`${schedule.scheduleId}: overridden; ${when(schedule)}, ${state}`, ...overrideLines(schedule)].join('\n') + '\n');
  }
  return 0;
}

export function registerScheduleCommands(program: Command): void {
  const schedules = program
    .command('schedules')
    .description('runbook schedules (Temporal Schedules): list, pause, unpause, trigger now, backfill, override')
    .addHelpText('after', '\nA schedule id is runwright:<runbookId>:<name>; <runbookId>:<name> and <runbookId>/<name> name it too.');

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

  withConnection(schedules.command('override'))
    .description("override a schedule for this installation (admin): when it fires, its parameters, its pause state; or --clear it")
    .argument('<scheduleId>')
    .option('--cron <expression>', 'fire on this cron instead (7 fields put seconds first: "*/20 * * * * * *")')
    .option('--every <duration>', 'fire at this interval instead (30s, 10m, 6h)')
    .option('--timezone <zone>', 'evaluate the cron in this time zone (e.g. Europe/Berlin)')
    .option('-p, --param <key=value>', 'a string parameter, merged over the schedule\'s own (repeatable)', repeatable, [])
    .option('-j, --param-json <key=json>', 'a parameter given as JSON (repeatable)', repeatable, [])
    .option('--pause', 'pause the schedule with the override')
    .option('--no-pause', 'unpause the schedule with the override (a schedule shipped paused)')
    .option('--reason <text>', 'why (shown with the schedule and recorded on its runs)')
    .option('--clear', "remove the override set through the API: back to the settings file's, or the runbook's own")
    .option('--json', 'print the schedule as JSON')
    .addHelpText('after', '\nAn override replaces any earlier one set through the API for this schedule, and takes the place of the settings file\'s (RUNWRIGHT_SCHEDULE_OVERRIDES) until cleared.')
    .action(async (id: string, options: OverrideOptions) => {
      process.exitCode = await overrideCommand(id, options);
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
