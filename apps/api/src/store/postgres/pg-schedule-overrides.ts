import type pg from 'pg';
import type { ScheduleOverrideRecords, StoredOverride } from '../schedule-override-records.js';

/** Schedule overrides as rows by schedule id, read on every call: one set on any replica is applied by all. */
export class PgScheduleOverrides implements ScheduleOverrideRecords {
  constructor(private readonly pool: pg.Pool) {}

  async list(): Promise<StoredOverride[]> {
    const { rows } = await this.pool.query<{ record: StoredOverride }>('SELECT record FROM runwright.schedule_overrides ORDER BY schedule_id COLLATE "C"');
    return rows.map((row) => row.record);
  }

  async get(scheduleId: string): Promise<StoredOverride | undefined> {
    const { rows } = await this.pool.query<{ record: StoredOverride }>('SELECT record FROM runwright.schedule_overrides WHERE schedule_id = $1', [scheduleId]);
    return rows[0]?.record;
  }

  async put(record: StoredOverride): Promise<void> {
    await this.pool.query(
      'INSERT INTO runwright.schedule_overrides (schedule_id, record) VALUES ($1, $2) ON CONFLICT (schedule_id) DO UPDATE SET record = EXCLUDED.record',
      [record.scheduleId, JSON.stringify(record)],
    );
  }

  async remove(scheduleId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM runwright.schedule_overrides WHERE schedule_id = $1', [scheduleId]);
    return rowCount === 1;
  }
}
