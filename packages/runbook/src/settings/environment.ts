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
  RUNWRIGHT_API_PORT: { default: '8080', usedBy: ['api', 'start'], description: 'port the API (and the editor) listens on; `0` lets `npm start` pick a free one' },
  RUNWRIGHT_RUNBOOKS_DIR: { default: 'runbooks', usedBy: ['api'], description: 'folder of runbook YAML files' },
  RUNWRIGHT_EDITOR_DIR: { default: 'apps/editor/dist', usedBy: ['api'], description: 'built editor served at /' },
  RUNWRIGHT_TEMPORAL_UI_URL: { default: '', usedBy: ['api'], description: 'Temporal Web UI base URL, for links from runs' },
  RUNWRIGHT_DATA_DIR: { default: '.data', usedBy: ['start', 'api'], description: 'data folder: the embedded server (SQLite file), and the API\'s token hashes and audit log (under api/)' },
  RUNWRIGHT_DATABASE_URL: { default: '', usedBy: ['api', 'cli'], description: 'PostgreSQL URL (`postgres://user:password@host:5432/database`) of the API\'s state — tokens, audit chain, runbooks and their versions, webhook secrets, report cache — shared by API replicas, its tables made at start; empty keeps the state in files under the data folder and the runbooks folder' },
  RUNWRIGHT_DATABASE_POOL_SIZE: { default: '10', usedBy: ['api', 'cli'], description: 'connections each API process (or offline CLI command) opens to the state database at most' },
  RUNWRIGHT_BOOTSTRAP_TOKEN: { default: '', usedBy: ['api'], description: 'an admin API token accepted as user `bootstrap` (tests, CI); without it a first start creates one and prints it once' },
  RUNWRIGHT_SCHEDULE_OVERRIDES: { default: '', usedBy: ['api'], description: 'YAML or JSON file of this installation\'s schedule overrides (`dr-drill/weekly: { cron, every, timezone, params, paused, reason }`), read at start; overrides set through the API take their place per schedule' },
  RUNWRIGHT_ALERT_ROUTE_OVERRIDES: { default: '', usedBy: ['api'], description: 'YAML or JSON file of this installation\'s alert route parameters (`service-down-restart/shop-api-down: { params, reason }`), merged over the runbook route\'s own and checked like them; read at start' },
  RUNWRIGHT_CORS_ORIGINS: { default: '', usedBy: ['api'], description: 'comma-separated origins allowed to call the API from a browser; empty keeps CORS closed' },
  RUNWRIGHT_URL: { default: 'http://127.0.0.1:8080', usedBy: ['cli'], description: 'API base URL the `runwright` command talks to' },
  RUNWRIGHT_TOKEN: { default: '', usedBy: ['cli'], description: 'API token the `runwright` command presents' },
  RUNWRIGHT_AUTH_FAILURE_LIMIT: { default: '30', usedBy: ['api'], description: 'failed authentications allowed per client address per 15 minutes before it gets 429' },
  RUNWRIGHT_TRUST_PROXY: { default: '', usedBy: ['api'], description: 'reverse proxies to trust for `X-Forwarded-For` (Express `trust proxy`): a hop count (`1`) or comma-separated addresses/CIDRs (`10.0.0.1,loopback`); empty trusts none, so audit records and the failed-auth limit use the connecting address' },
  RUNWRIGHT_STREAM_HEARTBEAT_SECONDS: { default: '15', usedBy: ['api'], description: 'seconds between keep-alive comments on a run\'s event stream, shorter than any proxy\'s idle timeout' },
  RUNWRIGHT_WORKER_METRICS_PORT: { default: '', usedBy: ['worker'], description: 'port of the worker\'s Prometheus `/metrics` (runs finished by runbook, trigger and outcome); empty serves none' },
  RUNWRIGHT_WORKER_METRICS_HOST: { default: '127.0.0.1', usedBy: ['worker'], description: 'address the worker\'s `/metrics` listens on (`0.0.0.0` in a container)' },
  RUNWRIGHT_TEMPORAL_PORT: { default: '7233', usedBy: ['start'], description: 'gRPC port of the embedded Temporal dev server; `0` picks a free one' },
  RUNWRIGHT_TEMPORAL_UI_PORT: { default: '8233', usedBy: ['start'], description: 'Web UI port of the embedded Temporal dev server; `0` picks a free one' },
  RUNWRIGHT_PORTS: { default: '', usedBy: ['start'], description: '`auto` moves any port `npm start` needs that is taken to a free one and prints what it chose; empty refuses to start, naming the port and the process holding it' },
  RUNWRIGHT_LOG_LEVEL: { default: 'info', usedBy: ['api', 'worker', 'start'], description: 'trace, debug, info, warn or error' },
  RUNWRIGHT_LOG_FORMAT: { default: 'json', usedBy: ['api', 'worker'], description: '`json`, or `pretty` for people (set by `npm start`)' },
  RUNWRIGHT_WORKER_SHUTDOWN_SECONDS: { default: '5', usedBy: ['worker', 'start'], description: 'seconds a stopping worker lets running steps finish before it cancels them; it exits at most 5 s later whatever the Temporal server does, and `npm start` kills it 3 s after that' },
  RUNWRIGHT_WORKER_KINDS: { default: '', usedBy: ['worker'], description: 'comma-separated action kinds this worker offers (e.g. `shell,ssh` for a site worker); empty offers every kind' },
  RUNWRIGHT_SECRETS_FILE: { default: '', usedBy: ['worker'], description: 'JSON file `{ "NAME": "value" }` of secrets steps reference as `{ secret: NAME }`; without it (or for names it lacks) the worker reads `RUNWRIGHT_SECRET_<NAME>` variables' },
  RUNWRIGHT_OUTBOUND_ALLOW: { default: '', usedBy: ['worker'], description: 'comma-separated addresses steps may connect to (HTTP, ssh, SMTP, PostgreSQL, rsync) although loopback, private, link-local, metadata and unspecified addresses are refused by default: CIDRs (`10.0.0.0/8`), `address:port` (`127.0.0.1:5432`, `[::1]:22`) or `host:port` (`db.internal:5432`, the name as steps write it)' },
  RUNWRIGHT_HTTP_ALLOW: { default: '', usedBy: ['worker'], description: 'the former name of `RUNWRIGHT_OUTBOUND_ALLOW`, still read: its entries are added to that list' },
  RUNWRIGHT_SSH_KNOWN_HOSTS: { default: '', usedBy: ['worker'], description: 'OpenSSH `known_hosts` file (e.g. `/etc/ssh/ssh_known_hosts`) that `ssh` and `rsync` steps naming no `knownHostsFile` check host keys against; empty checks only the steps\' pins' },
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
