export interface AlertSwitchState {
  paused: boolean;
  reason: string;
  by: string;
  at: string;
}

/** The global switch that pauses alert-triggered starts, kept so a restart does not silently resume them. */
export interface AlertSwitchRecords {
  /** The switch as last set; undefined when it never was. */
  get(): Promise<AlertSwitchState | undefined>;
  set(state: AlertSwitchState): Promise<void>;
}
