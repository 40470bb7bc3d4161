import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ScheduleOverride } from '@runwright/runbook';

/** A schedule override set through the API, as kept. */
export interface StoredOverride {
  scheduleId: string;
  override: ScheduleOverride;
  /** The admin who set it. */
  by: string;
  at: string;
}

/**
 * Where the schedule overrides set through the API are kept, so they survive a restart. The
 * only persistence of overrides: it moves behind the API's state store as one more record kind
 * (async already, no file paths handed out).
 */
export interface OverrideRecords {
  list(): Promise<StoredOverride[]>;
  get(scheduleId: string): Promise<StoredOverride | undefined>;
  put(record: StoredOverride): Promise<void>;
  /** Answers whether there was one to remove. */
  remove(scheduleId: string): Promise<boolean>;
}

/** One JSON file under the data folder, replaced whole on every change (write, then rename). */
export class FileOverrideRecords implements OverrideRecords {
  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  }

  private read(): Record<string, StoredOverride> {
    return existsSync(this.file) ? (JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, StoredOverride>) : {};
  }

  private write(records: Record<string, StoredOverride>): void {
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(records, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, this.file);
  }

  async list(): Promise<StoredOverride[]> {
    return Object.values(this.read());
  }

  async get(scheduleId: string): Promise<StoredOverride | undefined> {
    return this.read()[scheduleId];
  }

  async put(record: StoredOverride): Promise<void> {
    this.write({ ...this.read(), [record.scheduleId]: record });
  }

  async remove(scheduleId: string): Promise<boolean> {
    const records = this.read();
    if (!(scheduleId in records)) return false;
    delete records[scheduleId];
    this.write(records);
    return true;
  }
}
