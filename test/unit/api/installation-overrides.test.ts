import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readInstallationOverrides } from '../../../apps/api/src/schedules/installation-overrides.js';

const folder = mkdtempSync(join(tmpdir(), 'runwright-installation-overrides-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
}

describe("the installation's overrides file (RUNWRIGHT_SCHEDULE_OVERRIDES)", () => {
  it('is optional', () => {
    expect(readInstallationOverrides('')).toBeUndefined();
  });

  it('gives the overrides by schedule id, with when the file last changed', () => {
    const path = file('staging.yaml', 'dr-drill/weekly: { paused: false, params: { cluster: lab } }\n');
    const read = readInstallationOverrides(path)!;
    expect(read.file).toBe(path);
    expect(Object.fromEntries(read.overrides)).toEqual({ 'runwright:dr-drill:weekly': { paused: false, params: { cluster: 'lab' } } });
    expect(Number.isNaN(Date.parse(read.changedAt))).toBe(false);
  });

  it('stops the API from starting when missing or wrong, naming the file and the path', () => {
    expect(() => readInstallationOverrides(join(folder, 'missing.yaml'))).toThrow(/^RUNWRIGHT_SCHEDULE_OVERRIDES \(.*missing\.yaml\): ENOENT/);
    const bad = file('bad.yaml', 'dr-drill/weekly:\n  every: 1m\n  cron: "* * * * *"\n');
    expect(() => readInstallationOverrides(bad)).toThrow(`RUNWRIGHT_SCHEDULE_OVERRIDES (${bad}): dr-drill/weekly.every: give cron or every, not both`);
  });
});
