import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityFailure, runActivity } from '../../support/activities.js';
import { freePort } from '../../support/free-port.js';
import { processGone } from '../../support/process-alive.js';
import { finalState, startTestRun } from '../../support/run-helpers.js';
import { connectToTestServer, startTestWorker, type RunningWorker } from '../../support/temporal.js';

let env: TestWorkflowEnvironment;
let worker: RunningWorker;
let folder: string;
let manager: string;
let port: number;

/**
 * A small service manager with systemd's verbs and exit codes (status: 0 running, 3 not),
 * managing a real HTTP server process (python3 -m http.server) that leaves the step's group.
 */
function writeManager(): string {
  const path = join(folder, 'servicectl');
  writeFileSync(
    path,
    `#!/bin/sh
set -u
action="$1"; name="$2"; pidfile="${folder}/$name.pid"
running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }
case "$action" in
  start) running && exit 0
         setsid python3 -m http.server ${'$'}{PORT} --bind 127.0.0.1 --directory "${folder}" >/dev/null 2>&1 < /dev/null &
         echo $! > "$pidfile"; echo "started $name" ;;
  stop) running && kill "$(cat "$pidfile")"; rm -f "$pidfile"; echo "stopped $name" ;;
  restart) "$0" stop "$name" && "$0" start "$name" ;;
  reload) running || { echo "$name is not running" >&2; exit 7; }; echo "reloaded $name" ;;
  status) running && { echo "$name is running"; exit 0; }; echo "$name is stopped"; exit 3 ;;
  *) echo "unknown action $action" >&2; exit 2 ;;
esac
`,
  );
  chmodSync(path, 0o755);
  return path;
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'runwright-service-'));
  port = await freePort();
  manager = writeManager();
  writeFileSync(join(folder, 'healthz'), 'ok');
  env = await connectToTestServer();
  worker = await startTestWorker(env, { kinds: ['service'] });
});

afterAll(async () => {
  await runActivity('service', { service: 'web', action: 'stop', command: [manager, '{action}', '{service}'] }).catch(() => undefined);
  await worker?.stop();
  await env?.teardown();
  rmSync(folder, { recursive: true, force: true });
});

describe('service', () => {
  it('starts a service through the interpreter and waits until its health check holds, then reports status and stops it', async () => {
    const command = [manager, '{action}', '{service}'];
    const health = { check: { kind: 'http', config: { url: `http://127.0.0.1:${port}/healthz`, timeoutMs: 1_000 } }, intervalMs: 100, timeoutMs: 20_000 };
    const handle = await startTestRun(env, worker.taskQueue, {
      nodes: [
        { id: 'start-web', kind: 'service', config: { service: 'web', action: 'start', command: ['env', `PORT=${port}`, ...command], health } },
        { id: 'web-status', kind: 'service', config: { service: 'web', action: 'status', command } },
      ],
      edges: [{ from: 'start-web', to: 'web-status' }],
    });
    const state = await finalState(handle);
    expect(state.status).toBe('succeeded');
    expect(state.nodes['start-web']!.output).toMatchObject({ exitCode: 0, stdout: 'started web\n' });
    expect((state.nodes['start-web']!.output as { healthPolls: number }).healthPolls).toBeGreaterThanOrEqual(1);
    expect(state.nodes['web-status']!.output).toMatchObject({ active: true });
    expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).text()).toBe('ok');

    const pid = Number(readFileSync(join(folder, 'web.pid'), 'utf8'));
    expect((await runActivity('service', { service: 'web', action: 'reload', command })).output.stdout).toBe('reloaded web\n');
    await runActivity('service', { service: 'web', action: 'stop', command });
    expect(await processGone(pid)).toBe(true);
    expect((await runActivity('service', { service: 'web', action: 'status', command })).output).toMatchObject({ active: false, exitCode: 3 });
  });

  it('types a failed verb and a service that never gets healthy', async () => {
    const command = [manager, '{action}', '{service}'];
    expect(await activityFailure(runActivity('service', { service: 'web', action: 'reload', command }))).toMatchObject({
      type: 'UnexpectedExitCode',
      message: `${manager} reload web exited with 7: web is not running`,
    });
    const never = await activityFailure(
      runActivity('service', { service: 'ghost', action: 'stop', command, health: { check: { kind: 'http', config: { url: `http://127.0.0.1:${await freePort()}/` } }, intervalMs: 100, timeoutMs: 400 } }),
    );
    expect(never).toMatchObject({ type: 'TimedOut', message: expect.stringMatching(/^http check did not hold within 400 ms .*ECONNREFUSED/) });
    expect(await activityFailure(runActivity('service', { service: 'web; rm -rf /', action: 'start', command }))).toMatchObject({ type: 'InvalidConfig', message: expect.stringMatching(/^service: /) });
  });
});
