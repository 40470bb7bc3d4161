// A port npm start needs is already taken. It used to report another Temporal server on its
// gRPC port as its own dev server (and fail obscurely when that server went away); now it checks
// every port before it starts anything and refuses, naming each taken port and who holds it —
// or, when told to (RUNWRIGHT_PORTS=auto, or a port set to 0), runs on free ports it prints.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureTemporalCli } from '../../../scripts/temporal-cli.js';
import { startDevServer, waitUntilReady, type DevServer } from '../../../scripts/temporal-dev-server.js';
import { freePort } from '../../support/free-port.js';
import { Launcher, portOpen } from './support/launcher.js';

let otherTemporal: DevServer;
let launcher: Launcher | undefined;
const held: Server[] = [];

/** Listens on a free loopback port from this test process, as someone else's server would. */
async function holdPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  held.push(server);
  return (server.address() as { port: number }).port;
}

beforeAll(async () => {
  // Someone else's Temporal server: it answers like ours would, which is what misled npm start.
  otherTemporal = await startDevServer({ cli: ensureTemporalCli(), port: await freePort(), readyTimeoutMs: 120_000 });
});

afterEach(async () => {
  await launcher?.cleanUp();
  launcher = undefined;
});

afterAll(async () => {
  await otherTemporal?.stop();
  for (const server of held) server.close();
});

describe('npm start when its ports are taken', { timeout: 240_000 }, () => {
  it('refuses to start, naming every taken port and the process holding it, and starts nothing', async () => {
    const temporal = Number(otherTemporal.address.split(':')[1]);
    const ports = { temporal, ui: await holdPort(), api: await holdPort() };
    launcher = await Launcher.start({ ports });
    const { code } = await launcher.exited;
    expect(code, launcher.output).toBe(1);
    const output = launcher.output;
    expect(output).toContain(`port ${temporal} on 127.0.0.1 (RUNWRIGHT_TEMPORAL_PORT, the Temporal dev server's gRPC port) is taken by pid ${otherTemporal.process.pid}: `);
    expect(output).toMatch(new RegExp(`pid ${otherTemporal.process.pid}: \\S*temporal server start-dev`));
    expect(output).toContain(`port ${ports.ui} on 127.0.0.1 (RUNWRIGHT_TEMPORAL_UI_PORT, the Temporal Web UI) is taken by pid ${process.pid}: `);
    expect(output).toContain(`port ${ports.api} on 127.0.0.1 (RUNWRIGHT_API_PORT, the API and editor) is taken by pid ${process.pid}: `);
    expect(output).toContain('nothing was started');
    expect(output).toContain('RUNWRIGHT_PORTS=auto');
    expect(output).not.toContain('Temporal dev server on');
    // Nothing started: no child was ever recorded under the launcher, no state file was made.
    expect(launcher.groups).toEqual([launcher.pid]);
    expect(existsSync(join(launcher.dataDir, 'temporal.sqlite'))).toBe(false);
    expect(launcher.survivors()).toEqual([]);
    // And the other server is untouched.
    expect(await portOpen(temporal)).toBe(true);
  });

  it('with RUNWRIGHT_PORTS=auto, moves the taken ports to free ones, says which, and runs there; a port of 0 is chosen too', async () => {
    const ports = { temporal: await holdPort(), ui: 0, api: await holdPort() };
    launcher = await Launcher.start({ ports, env: { RUNWRIGHT_PORTS: 'auto' } });
    await launcher.waitHealthy();
    const output = launcher.output;
    const moved = (setting: string) => Number(new RegExp(`${setting}: using port (\\d+)`).exec(output)?.[1]);
    const temporal = moved('RUNWRIGHT_TEMPORAL_PORT');
    const ui = moved('RUNWRIGHT_TEMPORAL_UI_PORT');
    const api = moved('RUNWRIGHT_API_PORT');
    expect(output).toContain(`RUNWRIGHT_TEMPORAL_PORT: using port ${temporal} (RUNWRIGHT_PORTS=auto: port ${ports.temporal} on 127.0.0.1 (RUNWRIGHT_TEMPORAL_PORT, the Temporal dev server's gRPC port) is taken by pid ${process.pid}`);
    expect(output).toContain(`RUNWRIGHT_TEMPORAL_UI_PORT: using port ${ui} (RUNWRIGHT_TEMPORAL_UI_PORT=0: a free port)`);
    expect(output).toContain(`RUNWRIGHT_API_PORT: using port ${api} (RUNWRIGHT_PORTS=auto: port ${ports.api}`);
    expect(new Set([temporal, ui, api, ports.temporal, ports.api]).size).toBe(5);
    expect(output).toContain(`Temporal dev server on 127.0.0.1:${temporal}, Web UI at http://127.0.0.1:${ui}`);
    expect(launcher.apiUrl).toBe(`http://127.0.0.1:${api}`);
    expect(await portOpen(ui)).toBe(true);
    const health = await (await fetch(`${launcher.apiUrl}/healthz`)).json();
    expect(health.temporal.address).toBe(`127.0.0.1:${temporal}`);

    launcher.ctrlC();
    expect((await launcher.exited).code).toBe(0);
    expect(launcher.survivors()).toEqual([]);
    for (const port of [temporal, ui, api]) expect(await portOpen(port)).toBe(false);
  });

  it('does not take an answer from another server on its port as its own dev server being ready', async () => {
    // The race the port check cannot close: the port was free when checked, then someone else's
    // server answered on it. The "dev server" here is a stand-in process that listens nowhere.
    const standIn = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      await expect(waitUntilReady(otherTemporal.address, 'default', standIn, 30_000)).rejects.toThrow(
        `answered, but not from the dev server just started (pid ${standIn.pid}); the port is taken by pid ${otherTemporal.process.pid}`,
      );
    } finally {
      standIn.kill('SIGKILL');
    }
  });
});
