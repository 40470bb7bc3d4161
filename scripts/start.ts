// `npm start`: the embedded Temporal dev server (unless TEMPORAL_ADDRESS names a cluster), the
// worker and the API with the built editor, in one command. Every port is checked before anything
// starts. Ctrl-C stops everything in reverse order, each child within its grace period (a second
// Ctrl-C kills at once); if any child exits on its own, everything stops and the exit is non-zero;
// and if this launcher is killed outright, its reaper stops the children (supervisor/reaper.ts).
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { readSettings } from '@runwright/runbook';
import { shutdownTimes } from '../workers/src/shutdown.js';
import { planPorts, PortsUnavailable, type PortRequest } from './supervisor/port-plan.js';
import { Supervisor, type Command } from './supervisor/supervisor.js';
import { ensureTemporalCli } from './temporal-cli.js';
import { devServerArgs, waitUntilReady } from './temporal-dev-server.js';

const root = resolve(import.meta.dirname, '..');
const settings = readSettings(process.env);
const say = (line: string) => console.log(`[runwright] ${line}`);

/**
 * The Node entry points the launcher runs, and how: TypeScript through tsx's loader today. A
 * production build points `node` at compiled files and changes nothing else here.
 */
const entryPoints = { worker: 'workers/src/main.ts', api: 'apps/api/src/main.ts', reaper: 'scripts/supervisor/reaper.ts' };
const node = (entry: string): Command => ({ command: process.execPath, args: ['--import', 'tsx', resolve(root, entry)] });
const withArgs = (command: Command, ...args: string[]): Command => ({ command: command.command, args: [...command.args, ...args] });

function workerExitMs(): number {
  try {
    return shutdownTimes(Number(settings.RUNWRIGHT_WORKER_SHUTDOWN_SECONDS)).exitMs;
  } catch (error) {
    say((error as Error).message);
    process.exit(2);
  }
}

/** How long each child may take to stop on SIGTERM before it is killed: its own bound, plus a margin. */
const grace = { temporal: 10_000, worker: workerExitMs() + 3_000, api: 6_000 };
/** npm forwards the terminal's Ctrl-C to its child, so one keypress may arrive twice, moments apart. */
const sameKeypressMs = 1_000;

function portSetting(name: 'RUNWRIGHT_TEMPORAL_PORT' | 'RUNWRIGHT_TEMPORAL_UI_PORT' | 'RUNWRIGHT_API_PORT' | 'RUNWRIGHT_WORKER_METRICS_PORT'): number {
  const port = Number(settings[name]);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    say(`${name} must be a port number (0 picks a free one), not ${JSON.stringify(settings[name])}`);
    process.exit(2);
  }
  return port;
}

async function choosePorts() {
  if (settings.RUNWRIGHT_PORTS !== '' && settings.RUNWRIGHT_PORTS !== 'auto') {
    say(`RUNWRIGHT_PORTS must be "auto" or empty, not ${JSON.stringify(settings.RUNWRIGHT_PORTS)}`);
    process.exit(2);
  }
  const embedded = !settings.TEMPORAL_ADDRESS;
  const requests: PortRequest[] = [
    ...(embedded
      ? [
          { setting: 'RUNWRIGHT_TEMPORAL_PORT', what: "the Temporal dev server's gRPC port", host: '127.0.0.1', port: portSetting('RUNWRIGHT_TEMPORAL_PORT') },
          { setting: 'RUNWRIGHT_TEMPORAL_UI_PORT', what: 'the Temporal Web UI', host: '127.0.0.1', port: portSetting('RUNWRIGHT_TEMPORAL_UI_PORT') },
        ]
      : []),
    { setting: 'RUNWRIGHT_API_PORT', what: 'the API and editor', host: settings.RUNWRIGHT_API_HOST, port: portSetting('RUNWRIGHT_API_PORT') },
    ...(settings.RUNWRIGHT_WORKER_METRICS_PORT
      ? [{ setting: 'RUNWRIGHT_WORKER_METRICS_PORT', what: "the worker's /metrics", host: settings.RUNWRIGHT_WORKER_METRICS_HOST, port: portSetting('RUNWRIGHT_WORKER_METRICS_PORT') }]
      : []),
  ];
  try {
    const choices = await planPorts(requests, { auto: settings.RUNWRIGHT_PORTS === 'auto' });
    for (const choice of choices) if (choice.note) say(`${choice.setting}: using port ${choice.chosen} (${choice.note})`);
    return Object.fromEntries(choices.map((c) => [c.setting, c.chosen])) as Record<string, number>;
  } catch (error) {
    if (!(error instanceof PortsUnavailable)) throw error;
    for (const problem of error.problems) say(problem);
    say('nothing was started. Stop that process, set the port named to another one (0 picks a free one), or set RUNWRIGHT_PORTS=auto to move taken ports to free ones.');
    process.exit(1);
  }
}

const ports = await choosePorts();
const dataDir = resolve(root, settings.RUNWRIGHT_DATA_DIR);
mkdirSync(dataDir, { recursive: true });

let stopped: Promise<never> | undefined;
const supervisor = new Supervisor({
  reaper: withArgs(node(entryPoints.reaper), resolve(dataDir, 'reaper.log')),
  say,
  onUnexpectedExit: (name, how) => {
    say(`${name} exited unexpectedly (${how}); stopping everything`);
    void stopAll(1);
  },
});

/** 0 after a requested stop; 1 once anything went wrong (a child exited, a second Ctrl-C). */
let exitCode = 0;
function stopAll(code: number): Promise<never> {
  exitCode = Math.max(exitCode, code);
  stopped ??= supervisor.stopAll().then(() => process.exit(exitCode));
  return stopped;
}

let firstSignalAt = 0;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (!stopped) {
      firstSignalAt = Date.now();
      say(`${signal}: stopping… (${signal === 'SIGINT' ? 'Ctrl-C' : signal} again kills everything at once)`);
      void stopAll(0);
    } else if (Date.now() - firstSignalAt > sameKeypressMs) {
      say(`${signal} again: killing everything now`);
      exitCode = 1;
      void supervisor.killAll().then(() => process.exit(exitCode));
    }
  });
}

let address = settings.TEMPORAL_ADDRESS;
let uiUrl = settings.RUNWRIGHT_TEMPORAL_UI_URL;
if (!address) {
  const dbFile = resolve(dataDir, 'temporal.sqlite');
  let cli: string;
  try {
    cli = ensureTemporalCli(say);
  } catch (error) {
    say((error as Error).message);
    await stopAll(1);
  }
  const port = ports.RUNWRIGHT_TEMPORAL_PORT!;
  const uiPort = ports.RUNWRIGHT_TEMPORAL_UI_PORT!;
  say(`starting the Temporal dev server (state in ${dbFile})`);
  const server = supervisor.start({
    name: 'Temporal dev server',
    command: cli!,
    args: devServerArgs({ port, uiPort, dbFile, namespace: settings.TEMPORAL_NAMESPACE }),
    graceMs: grace.temporal,
    // The server grumbles about closed connections while it stops; that is expected, not news.
    onLine: (line) => {
      if (!supervisor.isStopping && line.trim()) console.log(`[temporal] ${line}`);
    },
  });
  address = `127.0.0.1:${port}`;
  try {
    await waitUntilReady(address, settings.TEMPORAL_NAMESPACE, server, 60_000);
  } catch (error) {
    // A stop already under way (Ctrl-C, or the server's exit reported) has said what happened.
    if (!supervisor.isStopping) {
      say(`could not start the Temporal dev server: ${(error as Error).message}`);
      await stopAll(1);
    }
  }
  if (stopped) await stopped;
  uiUrl ||= `http://127.0.0.1:${uiPort}`;
  say(`Temporal dev server on ${address}, Web UI at ${uiUrl}`);
} else {
  say(`using the Temporal cluster at ${address} (namespace ${settings.TEMPORAL_NAMESPACE}); no embedded server`);
}

/** The API's own address and port, as the examples reach it: `127.0.0.1:8080,[::1]:8080,localhost:8080`. */
function apiItself(): string {
  const host = settings.RUNWRIGHT_API_HOST;
  const port = settings.RUNWRIGHT_API_PORT;
  const listening = host === '0.0.0.0' || host === '::' ? [] : [host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`];
  return [...new Set([...listening, `127.0.0.1:${port}`, `[::1]:${port}`, `localhost:${port}`])].join(',');
}

const env: NodeJS.ProcessEnv = {
  ...process.env,
  TEMPORAL_ADDRESS: address,
  RUNWRIGHT_TEMPORAL_UI_URL: uiUrl,
  RUNWRIGHT_LOG_FORMAT: process.env.RUNWRIGHT_LOG_FORMAT ?? 'pretty',
  // The worker's outbound policy refuses loopback; the shipped example (hello) checks the API's
  // own /healthz, so exactly that is allowed and nothing else on this machine. A deployment sets its own list.
  RUNWRIGHT_OUTBOUND_ALLOW: process.env.RUNWRIGHT_OUTBOUND_ALLOW ?? apiItself(),
};
// The ports chosen above, whatever the settings said (0, or moved by RUNWRIGHT_PORTS=auto).
for (const [setting, port] of Object.entries(ports)) env[setting] = String(port);

function launch(name: 'worker' | 'api', graceMs: number): void {
  supervisor.start({
    name,
    ...node(entryPoints[name]),
    cwd: root,
    env,
    graceMs,
    onLine: (line, stream) => (stream === 'stdout' ? console.log : console.error)(`[${name}] ${line}`),
  });
}
if (!stopped) {
  launch('worker', grace.worker);
  launch('api', grace.api);
  say(`editor and API: http://${settings.RUNWRIGHT_API_HOST}:${ports.RUNWRIGHT_API_PORT}  (Ctrl-C stops everything)`);
}
