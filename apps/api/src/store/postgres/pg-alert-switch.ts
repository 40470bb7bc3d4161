import type pg from 'pg';
import type { AlertSwitchRecords, AlertSwitchState } from '../alert-switch-records.js';

/** The alert switch as the one row of its table, read on every call: a pause on any replica holds on all. */
export class PgAlertSwitch implements AlertSwitchRecords {
  constructor(private readonly pool: pg.Pool) {}

  async get(): Promise<AlertSwitchState | undefined> {
    const { rows } = await this.pool.query<{ state: AlertSwitchState }>('SELECT state FROM runwright.alert_switch');
    return rows[0]?.state;
  }

  async set(state: AlertSwitchState): Promise<void> {
    await this.pool.query('INSERT INTO runwright.alert_switch (singleton, state) VALUES (true, $1) ON CONFLICT (singleton) DO UPDATE SET state = EXCLUDED.state', [
      JSON.stringify(state),
    ]);
  }
}
