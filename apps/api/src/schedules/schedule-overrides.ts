import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseScheduleOverridesText, type AppliedScheduleOverride, type ScheduleOverride } from '@runwright/runbook';
import type { OverrideRecords, StoredOverride } from './override-records.js';

/** The installation's overrides, read from `RUNWRIGHT_SCHEDULE_OVERRIDES` once, at start. */
export interface InstallationOverrides {
  file: string;
  /** When the file was last changed: the "when" an installation override is shown with. */
  changedAt: string;
  overrides: Map<string, ScheduleOverride>;
}

/**
 * Reads the overrides file; a file that cannot be read or does not validate stops the API from
 * starting, naming the file and the paths in it, rather than running production schedules on a
 * staging installation.
 */
export function readInstallationOverrides(path: string): InstallationOverrides | undefined {
  if (path === '') return undefined;
  const file = resolve(path);
  const fail = (why: string) => new Error(`RUNWRIGHT_SCHEDULE_OVERRIDES (${file}): ${why}`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw fail((error as Error).message);
  }
  const parsed = parseScheduleOverridesText(text);
  if (!parsed.ok) throw fail(parsed.problems.map((p) => `${p.path || '(top)'}: ${p.message}`).join('; '));
  return { file, changedAt: statSync(file).mtime.toISOString(), overrides: parsed.overrides };
}

/**
 * The overrides of this installation, from its two sources. Per schedule, one override applies:
 * the one set through the API if there is one, else the settings file's. They are not merged: an
 * API override replaces the file's for that schedule entirely, and clearing it brings the file's
 * back. Either way it applies over the runbook's own schedule (its parameters merged key by key).
 */
export class ScheduleOverrides {
  constructor(
    readonly records: OverrideRecords,
    readonly installation: InstallationOverrides | undefined,
  ) {}

  private fromSettings(scheduleId: string): AppliedScheduleOverride | undefined {
    const override = this.installation?.overrides.get(scheduleId);
    return override && { ...override, source: 'settings', by: `settings:${this.installation!.file}`, at: this.installation!.changedAt };
  }

  private fromApi(stored: StoredOverride): AppliedScheduleOverride {
    return { ...stored.override, source: 'api', by: stored.by, at: stored.at, ...(this.installation?.overrides.has(stored.scheduleId) && { replacesSettings: true }) };
  }

  /** Every override in effect, by schedule id. */
  async applied(): Promise<Map<string, AppliedScheduleOverride>> {
    const applied = new Map<string, AppliedScheduleOverride>();
    for (const scheduleId of this.installation?.overrides.keys() ?? []) applied.set(scheduleId, this.fromSettings(scheduleId)!);
    for (const stored of await this.records.list()) applied.set(stored.scheduleId, this.fromApi(stored));
    return applied;
  }

  async appliedTo(scheduleId: string): Promise<AppliedScheduleOverride | undefined> {
    const stored = await this.records.get(scheduleId);
    return stored ? this.fromApi(stored) : this.fromSettings(scheduleId);
  }

  hasSettingsOverride(scheduleId: string): boolean {
    return this.installation?.overrides.has(scheduleId) ?? false;
  }
}
