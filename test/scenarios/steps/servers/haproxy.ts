import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../../support/free-port.js';
import { startListeningProcess } from './listening-process.js';

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
  const server = await startListeningProcess(['haproxy', '-W', '-db', '-f', main, '-f', includeFile], port);
  return {
    url: `http://127.0.0.1:${port}`,
    includeFile,
    validate: ['haproxy', '-c', '-q', '-f', main, '-f', includeFile],
    reload: ['kill', '-USR2', String(server.child.pid)],
    stop: server.stop,
  };
}
