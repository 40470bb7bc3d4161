// `npm start`: the embedded Temporal dev server (unless TEMPORAL_ADDRESS names a cluster), the
// worker and the API with the built editor, in one command. Ctrl-C stops them in reverse order.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { readSettings } from '@runwright/runbook';
import { ensureTemporalCli } from './temporal-cli.js';
import { startDevServer, stopProcess, type DevServer } from './temporal-dev-server.js';

const root = resolve(import.meta.dirname, '..');
const settings = readSettings(process.env);
const say = (line: string) => console.log(`[runwright] ${line}`);

function prefixLines(name: string, stream: NodeJS.ReadableStream, write: (line: string) => void): void {
  let buffered = '';
  stream.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) write(`[${name}] ${line}`);
  });
}

const children: { name: string; child: ChildProcess }[] = [];
let devServer: DevServer | undefined;
let stopping = false;

async function stopAll(exitCode: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    say('stopping…');
    for (const { name, child } of [...children].reverse()) {
      await stopProcess(child);
      say(`${name} stopped`);
    }
    if (devServer) {
      await devServer.stop();
      say('Temporal dev server stopped');
    }
  }
  process.exit(exitCode);
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

function launch(name: string, entry: string, env: NodeJS.ProcessEnv): void {
  // Own process group (detached): Ctrl-C reaches only this launcher, which stops the
  // children in order instead of all of them at once.
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  prefixLines(name, child.stdout!, console.log);
  prefixLines(name, child.stderr!, console.error);
  child.once('exit', (code, signal) => {
    if (!stopping) {
      say(`${name} exited unexpectedly (${signal ?? `code ${code}`}); stopping everything`);
      void stopAll(1);
    }
  });
  children.push({ name, child });
}

let address = settings.TEMPORAL_ADDRESS;
let uiUrl = settings.RUNWRIGHT_TEMPORAL_UI_URL;
if (!address) {
  const dataDir = resolve(root, settings.RUNWRIGHT_DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const dbFile = resolve(dataDir, 'temporal.sqlite');
  say(`starting the Temporal dev server (state in ${dbFile})`);
  try {
    devServer = await startDevServer({
      cli: ensureTemporalCli(say),
      port: Number(settings.RUNWRIGHT_TEMPORAL_PORT),
      uiPort: Number(settings.RUNWRIGHT_TEMPORAL_UI_PORT),
      dbFile,
      namespace: settings.TEMPORAL_NAMESPACE,
      // The server grumbles about closed connections while it stops; that is expected, not news.
      onOutput: (line) => {
        if (!stopping) console.log(`[temporal] ${line}`);
      },
      detached: true,
    });
  } catch (error) {
    say(`could not start the Temporal dev server: ${(error as Error).message}`);
    say(`is port ${settings.RUNWRIGHT_TEMPORAL_PORT} or ${settings.RUNWRIGHT_TEMPORAL_UI_PORT} taken? Set RUNWRIGHT_TEMPORAL_PORT / RUNWRIGHT_TEMPORAL_UI_PORT.`);
    process.exit(1);
  }
  address = devServer.address;
  uiUrl ||= devServer.uiUrl ?? '';
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
launch('worker', 'workers/src/main.ts', env);
launch('api', 'apps/api/src/main.ts', env);
say(`editor and API: http://${settings.RUNWRIGHT_API_HOST}:${settings.RUNWRIGHT_API_PORT}  (Ctrl-C stops everything)`);
