import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { durationToMs, effectiveSchedule } from '@runwright/runbook';
import { runbooksFolder, shippedRunbook } from '../../support/runbooks.js';

const shippedFiles = readdirSync(runbooksFolder).filter((f) => f.endsWith('.yaml'));
/** The schedules as written in the file, before any default is filled in. */
const written = (file: string) => ((parse(readFileSync(join(runbooksFolder, file), 'utf8')) as { triggers?: { schedules?: Record<string, unknown>[] } }).triggers?.schedules ?? []);

describe('the shipped schedules', () => {
  it('state their overlap policy and catch-up window in the file, and the window is hours, not the default year', () => {
    const all: Record<string, unknown>[] = shippedFiles.flatMap((file) => written(file).map((schedule) => ({ file, ...schedule })));
    expect(all.map((s) => `${s.file}:${String(s.name)}`).sort()).toEqual(['backup-verify.yaml:nightly', 'dr-drill.yaml:weekly']);
    for (const schedule of all) {
      expect(schedule, String(schedule.file)).toHaveProperty('overlap');
      expect(schedule, String(schedule.file)).toHaveProperty('catchupWindow');
      expect(durationToMs(String(schedule.catchupWindow)), String(schedule.file)).toBeLessThanOrEqual(durationToMs('2h'));
    }
  });

  it('run the drill weekly in working hours, shipped paused, and the backup nightly; both with the runbooks’ own parameters', () => {
    const drill = shippedRunbook('dr-drill').runbook;
    expect(drill.triggers.schedules).toEqual([{ name: 'weekly', cron: '0 10 * * 3', timezone: 'UTC', params: {}, overlap: 'skip', catchupWindow: '30m', paused: true }]);
    const backup = shippedRunbook('backup-verify').runbook;
    expect(backup.triggers.schedules).toEqual([{ name: 'nightly', cron: '30 2 * * *', timezone: 'UTC', params: {}, overlap: 'skip', catchupWindow: '2h', paused: false }]);
    for (const runbook of [drill, backup]) {
      for (const schedule of runbook.triggers.schedules) expect(effectiveSchedule(schedule, runbook.parameters).ok).toBe(true);
    }
  });
});
