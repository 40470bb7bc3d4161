import type { AlertSwitchRecords, AlertSwitchState } from '../store/alert-switch-records.js';

/**
 * The global switch that pauses every alert-triggered start (an alert storm, a maintenance
 * window). Kept in the state store so a restart does not silently resume starts.
 */
export class AlertSwitch {
  constructor(private readonly records: AlertSwitchRecords) {}

  /** As last set; never set means not paused. */
  async get(): Promise<AlertSwitchState> {
    return (await this.records.get()) ?? { paused: false, reason: '', by: 'system', at: new Date(0).toISOString() };
  }

  async set(paused: boolean, reason: string, by: string): Promise<AlertSwitchState> {
    const state: AlertSwitchState = { paused, reason, by, at: new Date().toISOString() };
    await this.records.set(state);
    return state;
  }
}
