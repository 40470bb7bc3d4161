import { existsSync, readFileSync } from 'node:fs';
import type { AlertSwitchRecords, AlertSwitchState } from '../alert-switch-records.js';
import { replaceFileSync } from './replace-file.js';

/**
 * The alert switch in one small JSON file, read once when the store opens and written through
 * on every change: this process is its only writer, and a restart reads it back.
 */
export class FileAlertSwitch implements AlertSwitchRecords {
  private state: AlertSwitchState | undefined;

  constructor(private readonly file: string) {
    this.state = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as AlertSwitchState) : undefined;
  }

  async get(): Promise<AlertSwitchState | undefined> {
    return this.state && { ...this.state };
  }

  async set(state: AlertSwitchState): Promise<void> {
    replaceFileSync(this.file, `${JSON.stringify(state)}\n`);
    this.state = { ...state };
  }
}
