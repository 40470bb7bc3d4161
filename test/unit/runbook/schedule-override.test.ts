import { describe, expect, it } from 'vitest';
import {
  effectiveSchedule,
  overrideDifferences,
  parseScheduleOverridesText,
  scheduleIdFromRef,
  scheduleOverrideSchema,
  scheduleSchema,
  type Parameter,
} from '@runwright/runbook';

const parameters: Record<string, Parameter> = {
  host: { type: 'string', description: '', default: 'pg-a.db.internal' },
  minFreeMb: { type: 'number', description: '', default: 10240, min: 0 },
  cluster: { type: 'string', description: '', enum: ['main', 'lab'] },
};
const weekly = scheduleSchema.parse({ name: 'weekly', cron: '0 10 * * 3', params: { cluster: 'main' }, paused: true });
const paths = (result: ReturnType<typeof effectiveSchedule>) => (result.ok ? [] : result.problems.map((p) => p.path));

describe('a schedule override', () => {
  it('names a schedule by runbook/name, runbook:name or its id', () => {
    expect(scheduleIdFromRef('dr-drill/weekly')).toBe('runwright:dr-drill:weekly');
    expect(scheduleIdFromRef('dr-drill:weekly')).toBe('runwright:dr-drill:weekly');
    expect(scheduleIdFromRef('runwright:dr-drill:weekly')).toBe('runwright:dr-drill:weekly');
    for (const bad of ['dr-drill', 'dr-drill/weekly/x', 'DR/weekly', 'runwright:dr-drill', '']) expect(scheduleIdFromRef(bad), bad).toBeUndefined();
  });

  it('changes something, fires on a cron or an interval but not both, in a time zone that exists', () => {
    const problems = (value: unknown) => {
      const parsed = scheduleOverrideSchema.safeParse(value);
      return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(problems({ every: '30s', params: { host: 'x' }, reason: 'lab' })).toEqual([]);
    expect(problems({ paused: false })).toEqual([]);
    expect(problems({ reason: 'nothing else' })).toEqual([': an override changes at least one of cron, every, timezone, params, paused']);
    expect(problems({ cron: '* * * * *', every: '1m' })).toEqual(['every: give cron or every, not both']);
    expect(problems({ every: '500ms' })).toEqual(['every: at least 1s']);
    expect(problems({ every: 'often' })).toEqual(['every: a duration such as 500ms, 30s, 10m, 2h or 1d']);
    expect(problems({ timezone: 'Mars/Olympus_Mons' })).toEqual(['timezone: not a time zone name (e.g. UTC, Europe/Berlin)']);
    expect(problems({ timezone: 'Europe/Berlin' })).toEqual([]);
    expect(problems({ cron: '0 4 * * *', colour: 'red' })).toHaveLength(1);
  });

  it("merges its parameters over the schedule's, with the runbook's defaults, and replaces what it names", () => {
    expect(effectiveSchedule(weekly, parameters)).toEqual({ ok: true, schedule: { cron: '0 10 * * 3', timezone: 'UTC', paused: true, params: { host: 'pg-a.db.internal', minFreeMb: 10240, cluster: 'main' } } });
    expect(effectiveSchedule(weekly, parameters, { every: '20s', params: { cluster: 'lab', minFreeMb: 1 }, paused: false })).toEqual({
      ok: true,
      schedule: { every: '20s', timezone: 'UTC', paused: false, params: { host: 'pg-a.db.internal', minFreeMb: 1, cluster: 'lab' } },
    });
    expect(effectiveSchedule(weekly, parameters, { timezone: 'Europe/Berlin' })).toMatchObject({ ok: true, schedule: { cron: '0 10 * * 3', timezone: 'Europe/Berlin', paused: true } });
  });

  it("names the key that is wrong, and whose it is: the override's or the schedule's own", () => {
    expect(paths(effectiveSchedule(weekly, parameters, { params: { minFreeMb: 'lots' } }))).toEqual(['override.params.minFreeMb']);
    expect(paths(effectiveSchedule(weekly, parameters, { params: { minFreeMb: -1, hots: 'typo' } }))).toEqual(['override.params.minFreeMb', 'override.params.hots']);
    expect(paths(effectiveSchedule(weekly, parameters, { params: { cluster: 'prod' } }))).toEqual(['override.params.cluster']);
    const broken = scheduleSchema.parse({ name: 'weekly', cron: '0 10 * * 3', params: { cluster: 'prod' } });
    expect(paths(effectiveSchedule(broken, parameters, { every: '1m' }))).toEqual(['params.cluster']);
    // An override can mend a schedule whose own parameter no longer fits the runbook.
    expect(effectiveSchedule(broken, parameters, { params: { cluster: 'lab' } }).ok).toBe(true);
  });

  it('lists what it changes against the runbook, part by part', () => {
    const own = { cron: '0 10 * * 3', timezone: 'UTC', params: { cluster: 'main' }, paused: true };
    const override = { source: 'api' as const, by: 'alice', at: '2026-11-27T08:00:00Z', every: '20s', params: { cluster: 'lab', host: '127.0.10.1' }, paused: false };
    expect(overrideDifferences({ own, override })).toEqual([
      { part: 'when', runbook: '0 10 * * 3', override: 'every 20s' },
      { part: 'params.cluster', runbook: 'main', override: 'lab' },
      { part: 'params.host', runbook: '(not set)', override: '127.0.10.1' },
      { part: 'paused', runbook: 'true', override: 'false' },
    ]);
    expect(overrideDifferences({ own })).toEqual([]);
  });
});

describe("the installation's overrides file", () => {
  it('reads YAML (or JSON) keyed by schedule, into overrides by schedule id', () => {
    const parsed = parseScheduleOverridesText('dr-drill/weekly:\n  cron: "*/30 * * * * * *"\n  params: { cluster: lab }\nrunwright:backup-verify:nightly: { paused: true }\n');
    expect(parsed.ok && Object.fromEntries(parsed.overrides)).toEqual({
      'runwright:dr-drill:weekly': { cron: '*/30 * * * * * *', params: { cluster: 'lab' } },
      'runwright:backup-verify:nightly': { paused: true },
    });
    expect(parseScheduleOverridesText('{"dr-drill:weekly": {"every": "1m"}}')).toMatchObject({ ok: true });
    expect(parseScheduleOverridesText('# nothing overridden yet\n')).toEqual({ ok: true, overrides: new Map() });
  });

  it('refuses a file with problems, naming where', () => {
    const problems = (text: string) => {
      const parsed = parseScheduleOverridesText(text);
      return parsed.ok ? [] : parsed.problems.map((p) => p.path);
    };
    expect(problems('dr-drill/weekly: { every: 1m, cron: "* * * * *" }\n')).toEqual(['dr-drill/weekly.every']);
    expect(problems('dr-drill/weekly: { every: 1m }\nrunwright:dr-drill:weekly: { paused: true }\n')).toEqual(['runwright:dr-drill:weekly']);
    expect(problems('dr-drill: { every: 1m }\n')).toEqual(['dr-drill']);
    expect(problems('- dr-drill/weekly\n')).toEqual(['']);
    expect(problems('a: [\n')).toEqual(['']);
  });
});
