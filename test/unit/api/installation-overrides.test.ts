import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileOverrideRecords } from '../../../apps/api/src/schedules/override-records.js';
import { readInstallationOverrides, ScheduleOverrides } from '../../../apps/api/src/schedules/schedule-overrides.js';

const folder = mkdtempSync(join(tmpdir(), 'runwright-installation-overrides-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
}

describe("the installation's overrides (RUNWRIGHT_SCHEDULE_OVERRIDES)", () => {
  it('are none when the setting is empty', () => {
    expect(readInstallationOverrides('')).toBeUndefined();
  });

  it('stop the API from starting when the file is missing or wrong, naming the file and the path', () => {
    expect(() => readInstallationOverrides(join(folder, 'missing.yaml'))).toThrow(/^RUNWRIGHT_SCHEDULE_OVERRIDES \(.*missing\.yaml\): ENOENT/);
    const bad = file('bad.yaml', 'dr-drill/weekly:\n  every: 1m\n  cron: "* * * * *"\n');
    expect(() => readInstallationOverrides(bad)).toThrow(`RUNWRIGHT_SCHEDULE_OVERRIDES (${bad}): dr-drill/weekly.every: give cron or every, not both`);
  });

  it("apply per schedule unless one set through the API takes their place, which clearing gives back", async () => {
    const path = file('staging.yaml', 'dr-drill/weekly: { paused: false, params: { cluster: lab } }\n');
    const overrides = new ScheduleOverrides(new FileOverrideRecords(join(folder, 'data', 'schedule-overrides.json')), readInstallationOverrides(path));
    const drill = 'runwright:dr-drill:weekly';
    expect(await overrides.appliedTo(drill)).toMatchObject({ source: 'settings', by: `settings:${path}`, paused: false, params: { cluster: 'lab' } });
    expect(await overrides.appliedTo('runwright:backup-verify:nightly')).toBeUndefined();

    await overrides.records.put({ scheduleId: drill, override: { every: '1h' }, by: 'alice', at: '2026-11-27T08:00:00.000Z' });
    const replaced = await overrides.appliedTo(drill);
    expect(replaced).toEqual({ every: '1h', source: 'api', by: 'alice', at: '2026-11-27T08:00:00.000Z', replacesSettings: true });
    expect((await overrides.applied()).get(drill)).toEqual(replaced);

    // Kept in a file: a new instance (a restart) sees it.
    const again = new ScheduleOverrides(new FileOverrideRecords(join(folder, 'data', 'schedule-overrides.json')), readInstallationOverrides(path));
    expect(await again.appliedTo(drill)).toEqual(replaced);
    expect(await again.records.remove(drill)).toBe(true);
    expect(await again.records.remove(drill)).toBe(false);
    expect(await again.appliedTo(drill)).toMatchObject({ source: 'settings' });
  });
});
