import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort } from '../../../support/free-port.js';

export interface RunningHaproxy {
  url: string;
  includeFile: string;
  validate: string[];
  reload: string[];
  stop(): Promise<void>;
}

/**
 * A real HAProxy in master-worker mode in the foreground: a main config with the frontend and
 * a second file (the one the step manages) with the backend. SIGUSR2 to the master reloads.
 */
export async function startHaproxy(folder: string, backend: string, initialServer: string): Promise<RunningHaproxy> {
  const port = await freePort();
  const main = join(folder, 'haproxy.cfg');
  const includeFile = join(folder, 'backend.cfg');
  writeFileSync(
    main,
    `global
  pidfile ${folder}/haproxy.pid
defaults
  mode http
  timeout connect 2s
  timeout client 5s
  timeout server 5s
frontend front
  bind 127.0.0.1:${port}
  default_backend ${backend}
`,
  );
  writeFileSync(includeFile, `backend ${backend}\n    server s1 ${initialServer}\n`);
  let log = '';
  const child = spawn('haproxy', ['-W', '-db', '-f', main, '-f', includeFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (c: Buffer) => (log += c));
  child.stderr!.on('data', (c: Buffer) => (log += c));
  for (let i = 0; ; i++) {
    if (child.exitCode !== null || i > 100) throw new Error(`haproxy did not start: ${log}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    includeFile,
    validate: ['haproxy', '-c', '-q', '-f', main, '-f', includeFile],
    reload: ['kill', '-USR2', String(child.pid)],
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
