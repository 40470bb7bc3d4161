import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabHost } from '../../lab/lab-host.js';
import { portOpen } from '../steps/servers/listening-process.js';

export interface NginxFront {
  /** shop-api through the front: `http://<front address>`. */
  url: string;
}

/**
 * Debian's nginx on the front host (its own lab address, port 80), under that host's supervisor,
 * balancing round robin over `backends` (`address:port`). A backend that refuses connections (a
 * restart) is skipped for the next one; a 500 is passed on, as a real front does, so clients and
 * Prometheus see a bad release's errors.
 */
export async function startNginxFront(front: LabHost, backends: string[]): Promise<NginxFront> {
  const folder = join(front.paths.root, 'nginx');
  for (const sub of ['logs', 'tmp']) mkdirSync(join(folder, sub), { recursive: true });
  const conf = join(folder, 'nginx.conf');
  writeFileSync(
    conf,
    `user root;
worker_processes 1;
pid ${folder}/nginx.pid;
error_log ${folder}/logs/error.log warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${folder}/tmp/body;
  proxy_temp_path ${folder}/tmp/proxy;
  fastcgi_temp_path ${folder}/tmp/fastcgi;
  uwsgi_temp_path ${folder}/tmp/uwsgi;
  scgi_temp_path ${folder}/tmp/scgi;
  upstream shop_api {
${backends.map((b) => `    server ${b} max_fails=0;`).join('\n')}
  }
  server {
    listen ${front.address}:80;
    location / {
      proxy_pass http://shop_api;
      proxy_connect_timeout 2s;
      proxy_next_upstream error timeout;
    }
  }
}
`,
  );
  const base = ['/usr/sbin/nginx', '-p', folder, '-c', conf];
  execFileSync(base[0]!, [...base.slice(1), '-t'], { stdio: 'pipe' });
  await front.addProgram({ name: 'nginx', command: [...base, '-g', 'daemon off;'], user: 'root' });
  for (let i = 0; !(await portOpen(80, front.address)); i++) {
    if (i > 300) throw new Error(`nginx never listened on ${front.address}:80\n${front.logs()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url: `http://${front.address}` };
}
