import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../../support/free-port.js';
import { startListeningProcess } from './listening-process.js';

export interface RunningNginx {
  url: string;
  /** The include file the step manages (holds `upstream <name>`). */
  includeFile: string;
  validate: string[];
  reload: string[];
  stop(): Promise<void>;
}

/**
 * A real nginx in the foreground with everything (config, pid, logs, temp paths) in `folder`,
 * proxying a loopback port to the upstream defined in `includeFile`.
 */
export async function startNginx(folder: string, upstream: string, initialServer: string): Promise<RunningNginx> {
  const port = await freePort();
  for (const sub of ['logs', 'tmp']) mkdirSync(join(folder, sub), { recursive: true });
  const includeFile = join(folder, 'upstream.conf');
  writeFileSync(includeFile, `upstream ${upstream} {\n    server ${initialServer};\n}\n`);
  const conf = join(folder, 'nginx.conf');
  writeFileSync(
    conf,
    `user root;
worker_processes 1;
pid ${folder}/nginx.pid;
error_log ${folder}/logs/error.log warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${folder}/tmp/body;
  proxy_temp_path ${folder}/tmp/proxy;
  fastcgi_temp_path ${folder}/tmp/fastcgi;
  uwsgi_temp_path ${folder}/tmp/uwsgi;
  scgi_temp_path ${folder}/tmp/scgi;
  include ${includeFile};
  server {
    listen 127.0.0.1:${port};
    location / { proxy_pass http://${upstream}; }
  }
}
`,
  );
  const base = ['nginx', '-p', folder, '-c', conf];
  execFileSync(base[0]!, [...base.slice(1), '-t'], { stdio: 'ignore' });
  const server = await startListeningProcess([...base, '-g', 'daemon off;'], port, 'SIGQUIT');
  return {
    url: `http://127.0.0.1:${port}`,
    includeFile,
    validate: [...base, '-t'],
    reload: [...base, '-s', 'reload'],
    stop: server.stop,
  };
}
