import { existsSync, readFileSync } from 'node:fs';
import type { ScheduleOverrideRecords, StoredOverride } from '../schedule-override-records.js';
import { replaceFileSync } from './replace-file.js';

/**
 * The overrides in one small JSON file by schedule id, read once when the store opens and
 * written through on every change: this process is its only writer, and a restart reads it back.
 */
export class FileScheduleOverrides implements ScheduleOverrideRecords {
  private records: Record<string, StoredOverride>;

  constructor(private readonly file: string) {
    this.records = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, StoredOverride>) : {};
  }

  private write(records: Record<string, StoredOverride>): void {
    replaceFileSync(this.file, `${JSON.stringify(records, null, 2)}\n`);
    this.records = records;
  }

  async list(): Promise<StoredOverride[]> {
    return Object.values(this.records).map((record) => structuredClone(record));
  }

  async get(scheduleId: string): Promise<StoredOverride | undefined> {
    const record = this.records[scheduleId];
    return record && structuredClone(record);
  }

  async put(record: StoredOverride): Promise<void> {
    this.write({ ...this.records, [record.scheduleId]: structuredClone(record) });
  }

  async remove(scheduleId: string): Promise<boolean> {
    if (!(scheduleId in this.records)) return false;
    const { [scheduleId]: _removed, ...rest } = this.records;
    this.write(rest);
    return true;
  }
}
