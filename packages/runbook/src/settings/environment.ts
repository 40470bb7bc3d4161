/**
 * Every environment variable Runwright reads, in one place: the processes read them through
 * `readSettings`, README documents them and a test checks docker-compose.yml against this list.
 */
export const environment = {
  TEMPORAL_ADDRESS: { default: '', usedBy: ['api', 'worker', 'start'], description: 'host:port of an existing Temporal frontend; when set, `npm start` runs no embedded server' },
  TEMPORAL_NAMESPACE: { default: 'default', usedBy: ['api', 'worker', 'start'], description: 'Temporal namespace' },
  TEMPORAL_TLS_CERT: { default: '', usedBy: ['api', 'worker'], description: 'client certificate file (mTLS)' },
  TEMPORAL_TLS_KEY: { default: '', usedBy: ['api', 'worker'], description: 'client key file (mTLS)' },
  TEMPORAL_TLS_CA: { default: '', usedBy: ['api', 'worker'], description: 'CA bundle file for the server certificate' },
  TEMPORAL_TLS_SERVER_NAME: { default: '', usedBy: ['api', 'worker'], description: 'server name to verify (SNI)' },
  TEMPORAL_API_KEY: { default: '', usedBy: ['api', 'worker'], description: 'API key (Temporal Cloud); implies TLS' },
  RUNWRIGHT_TASK_QUEUE: { default: 'runwright', usedBy: ['api', 'worker'], description: 'default task queue of runs and of the worker' },
  RUNWRIGHT_API_HOST: { default: '127.0.0.1', usedBy: ['api', 'start'], description: 'address the API listens on' },
  RUNWRIGHT_API_PORT: { default: '8080', usedBy: ['api', 'start'], description: 'port the API (and the editor) listens on' },
  RUNWRIGHT_RUNBOOKS_DIR: { default: 'runbooks', usedBy: ['api'], description: 'folder of runbook YAML files' },
  RUNWRIGHT_EDITOR_DIR: { default: 'apps/editor/dist', usedBy: ['api'], description: 'built editor served at /' },
  RUNWRIGHT_TEMPORAL_UI_URL: { default: '', usedBy: ['api'], description: 'Temporal Web UI base URL, for links from runs' },
  RUNWRIGHT_DATA_DIR: { default: '.data', usedBy: ['start'], description: 'data folder of the embedded server (SQLite file)' },
  RUNWRIGHT_TEMPORAL_PORT: { default: '7233', usedBy: ['start'], description: 'gRPC port of the embedded Temporal dev server' },
  RUNWRIGHT_TEMPORAL_UI_PORT: { default: '8233', usedBy: ['start'], description: 'Web UI port of the embedded Temporal dev server' },
  RUNWRIGHT_LOG_LEVEL: { default: 'info', usedBy: ['api', 'worker', 'start'], description: 'trace, debug, info, warn or error' },
  RUNWRIGHT_LOG_FORMAT: { default: 'json', usedBy: ['api', 'worker'], description: '`json`, or `pretty` for people (set by `npm start`)' },
} as const satisfies Record<string, { default: string; usedBy: readonly string[]; description: string }>;

export type SettingName = keyof typeof environment;
export type Settings = Record<SettingName, string>;

/** Reads every setting from an environment object, with defaults for the ones not set. */
export function readSettings(env: Record<string, string | undefined>): Settings {
  const settings = {} as Settings;
  for (const [name, spec] of Object.entries(environment) as [SettingName, { default: string }][]) {
    const value = env[name];
    settings[name] = value === undefined || value === '' ? spec.default : value;
  }
  return settings;
}

/** Where clients connect: the configured cluster, or the embedded dev server. */
export function temporalAddress(settings: Settings): string {
  return settings.TEMPORAL_ADDRESS || `127.0.0.1:${settings.RUNWRIGHT_TEMPORAL_PORT}`;
}
