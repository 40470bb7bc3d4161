import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface AlertSwitchState {
  paused: boolean;
  reason: string;
  by: string;
  at: string;
}

/**
 * The global switch that pauses every alert-triggered start (an alert storm, a maintenance
 * window). Kept in a file so a restart does not silently resume starts.
 */
export class AlertSwitch {
  private state: AlertSwitchState;

  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    this.state = existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as AlertSwitchState)
      : { paused: false, reason: '', by: 'system', at: new Date(0).toISOString() };
  }

  get(): AlertSwitchState {
    return { ...this.state };
  }

  set(paused: boolean, reason: string, by: string): AlertSwitchState {
    this.state = { paused, reason, by, at: new Date().toISOString() };
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(this.state)}\n`, { mode: 0o600 });
    renameSync(temporary, this.file);
    return this.get();
  }
}
