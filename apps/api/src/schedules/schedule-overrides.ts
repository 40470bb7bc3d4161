import type { AppliedScheduleOverride } from '@runwright/runbook';
import type { ScheduleOverrideRecords, StoredOverride } from '../store/schedule-override-records.js';
import type { InstallationOverrides } from './installation-overrides.js';

/**
 * The overrides of this installation, from its two sources. Per schedule, one override applies:
 * the one set through the API if there is one, else the settings file's. They are not merged: an
 * API override replaces the file's for that schedule entirely, and clearing it brings the file's
 * back. Either way it applies over the runbook's own schedule (its parameters merged key by key).
 */
export class ScheduleOverrides {
  constructor(
    readonly records: ScheduleOverrideRecords,
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
