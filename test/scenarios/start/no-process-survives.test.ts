// Whatever state its children are in, nothing `npm start` started outlives it: a plain Ctrl-C,
// Ctrl-C while the Temporal server does not answer, an impatient second Ctrl-C while a step
// runs, the launcher itself killed with SIGKILL, and the dev server dying under it. Each case
// checks the pids and process groups the launcher reported (and a step's command, found under
// the worker by pid), never processes by name. Stop times are printed, not asserted.
import { afterEach, describe, expect, it } from 'vitest';
import { temporaryRunbooks, type TemporaryRunbooks } from '../../support/runbooks-folder.js';
import { Launcher, portOpen } from './support/launcher.js';

let launcher: Launcher | undefined;
let runbooks: TemporaryRunbooks | undefined;

afterEach(async () => {
  await launcher?.cleanUp();
  launcher = undefined;
  runbooks?.remove();
  runbooks = undefined;
});

const figure = (what: string, ms: number) => console.log(`[figure] ${what}: ${(ms / 1000).toFixed(1)} s`);

/** A runbook whose one step runs for five minutes unless stopped. */
const slowRunbook = `# A step that runs long: what is in flight when npm start is stopped.
id: slow
title: A slow step
nodes:
  - id: wait-long
    kind: shell
    config:
      command: ["sleep", "300"]
edges: []
`;

const devServer = /server start-dev/;
const worker = /workers\/src\/main\.ts/;
const api = /apps\/api\/src\/main\.ts/;

/** npm start with the slow step running (its command is recorded under the worker like every other process). */
async function startWithSlowStep(env: Record<string, string> = {}): Promise<Launcher> {
  runbooks = temporaryRunbooks({ copy: ['hello'], files: { 'slow.yaml': slowRunbook } });
  const started = await Launcher.start({ env: { RUNWRIGHT_RUNBOOKS_DIR: runbooks.folder, ...env } });
  launcher = started;
  await started.waitHealthy();
  const run = await started.api('POST', '/api/runbooks/slow/runs', { params: {} });
  expect(run.status, JSON.stringify(run.body)).toBe(201);
  await started.waitForRecorded(/^sleep 300$/);
  return started;
}

// Each case cold-starts the whole stack; on a busy shared machine that alone can take a minute.
describe('npm start leaves no process behind', { timeout: 240_000 }, () => {
  it('on Ctrl-C, with a run waiting at a checkpoint: exit 0, every child and the reaper gone, ports closed', async () => {
    launcher = await Launcher.start();
    await launcher.waitHealthy();
    const run = await launcher.api('POST', '/api/runbooks/hello/runs', { params: { healthUrl: `${launcher.apiUrl}/healthz` } });
    expect(run.status).toBe(201);
    for (const child of [devServer, worker, api]) launcher.pidOf(child);

    const since = Date.now();
    launcher.ctrlC();
    expect((await launcher.exited).code).toBe(0);
    figure('Ctrl-C, run waiting', Date.now() - since);
    expect(launcher.survivors()).toEqual([]);
    for (const port of Object.values(launcher.ports)) expect(await portOpen(port)).toBe(false);
    expect(launcher.output).toMatch(/worker stopped in/);
    expect(launcher.output).toMatch(/Temporal dev server stopped in/);
  });

  it('on Ctrl-C while the dev server is still starting: exit 0, nothing started after it, nothing left', async () => {
    launcher = await Launcher.start();
    await launcher.waitForRecorded(devServer);
    launcher.ctrlC();
    expect((await launcher.exited).code, launcher.output).toBe(0);
    expect(launcher.output).not.toContain('editor and API:');
    expect(launcher.survivors()).toEqual([]);
  });

  it('on Ctrl-C while the Temporal server does not answer: /healthz says so first, then everything stops', async () => {
    launcher = await Launcher.start();
    await launcher.waitHealthy();
    // A frozen server accepts connections and never answers: the hardest kind of unreachable.
    process.kill(-launcher.pidOf(devServer), 'SIGSTOP');
    const probed = Date.now();
    const health = await fetch(`${launcher.apiUrl}/healthz`);
    figure('/healthz answer with the server frozen', Date.now() - probed);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'degraded', temporal: { reachable: false } });

    const since = Date.now();
    launcher.ctrlC();
    expect((await launcher.exited).code).toBe(0);
    figure('Ctrl-C, Temporal frozen', Date.now() - since);
    expect(launcher.survivors()).toEqual([]);
  });

  it('on a second Ctrl-C while a step runs: kills everything at once, the step\'s command too', async () => {
    const started = await startWithSlowStep({ RUNWRIGHT_WORKER_SHUTDOWN_SECONDS: '120' });
    const since = Date.now();
    started.ctrlC();
    await started.waitForOutput(/running steps get 120 s to finish/, 'the worker to start its grace period');
    // One keypress may arrive twice within a moment (npm forwards it); a second press comes later.
    await new Promise((r) => setTimeout(r, 1_500));
    started.ctrlC();
    expect((await started.exited).code).toBe(1);
    figure('second Ctrl-C during a 120 s grace period', Date.now() - since);
    expect(started.output).toContain('killing everything now');
    expect(started.survivors()).toEqual([]);
  });

  it('when the launcher is killed with SIGKILL while a step runs: its reaper stops every child and the step', async () => {
    const started = await startWithSlowStep();
    const since = Date.now();
    process.kill(started.pid, 'SIGKILL');
    await started.exited;
    figure('launcher SIGKILLed, all gone', await started.waitAllGone(since));
    expect(started.survivors()).toEqual([]);
    for (const port of Object.values(started.ports)) expect(await portOpen(port)).toBe(false);
  });

  it('when the launcher is killed with SIGKILL while it is stopping a worker with a step in flight: the reaper finishes the job', async () => {
    const started = await startWithSlowStep();
    started.ctrlC();
    await started.waitForOutput(/running steps get 5 s to finish/, 'the worker to start its grace period');
    const since = Date.now();
    process.kill(started.pid, 'SIGKILL');
    await started.exited;
    figure('launcher SIGKILLed mid-stop, all gone', await started.waitAllGone(since));
    expect(started.survivors()).toEqual([]);
  });

  it('when the dev server dies: says so, stops everything and exits non-zero', async () => {
    launcher = await Launcher.start();
    await launcher.waitHealthy();
    const since = Date.now();
    process.kill(launcher.pidOf(devServer), 'SIGKILL');
    const { code } = await launcher.exited;
    figure('dev server killed, launcher exited', Date.now() - since);
    expect(code).toBe(1);
    expect(launcher.output).toContain('Temporal dev server exited unexpectedly (killed by SIGKILL); stopping everything');
    expect(launcher.survivors()).toEqual([]);
  });
});
