import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { LoginUser } from './login-user.js';
import { programNamePattern, shQuote, type LabProgram, type Supervisor, type SupervisorFolders } from './supervisor.js';

const run = promisify(execFile);

/**
 * Makes `supervise/` with the fifos runsv would create, owned by the login user: runsv keeps
 * existing ones, and `sv` needs to open `ok` and `control`, so the user drives the service
 * without sudo (runit's own answer to "let a user control a service").
 */
function superviseFolder(serviceDir: string, user: LoginUser): void {
  const supervise = join(serviceDir, 'supervise');
  mkdirSync(supervise, { recursive: true, mode: 0o755 });
  chownSync(supervise, user.uid, user.gid);
  for (const fifo of ['control', 'ok']) {
    const path = join(supervise, fifo);
    if (!existsSync(path)) execFileSync('mkfifo', ['-m', '0600', path]);
    chownSync(path, user.uid, user.gid);
  }
}

function writeScript(path: string, lines: string[]): void {
  writeFileSync(path, ['#!/bin/sh', ...lines, ''].join('\n'), { mode: 0o755 });
}

/**
 * Debian's runit for one host: `runsvdir` on the host's service folder, each program a service
 * folder with a `run` script (run as its user through `chpst -u`) and a `log/run` that keeps its
 * output with `svlogd -tt` in `<log>/<name>/current`, as Debian's runit services do.
 */
export function runit(folders: SupervisorFolders, user: LoginUser): Supervisor {
  mkdirSync(folders.service, { recursive: true, mode: 0o755 });
  const serviceDir = (name: string) => join(folders.service, name);
  const logDir = (name: string) => join(folders.log, name);
  const sv = (verb: string, name: string) => ['sv', verb, serviceDir(name)];

  return {
    kind: 'runit',
    daemon: () => ({ argv: ['/usr/bin/runsvdir', '-P', folders.service], log: join(folders.log, 'runsvdir.out') }),
    writeProgram(program: LabProgram) {
      if (!programNamePattern.test(program.name)) throw new Error(`program name ${program.name} does not match ${programNamePattern}`);
      const dir = serviceDir(program.name);
      mkdirSync(join(dir, 'log'), { recursive: true, mode: 0o755 });
      mkdirSync(logDir(program.name), { recursive: true, mode: 0o755 });
      chownSync(logDir(program.name), user.uid, user.gid);
      const env = Object.entries(program.env ?? {}).map(([k, v]) => shQuote(`${k}=${v}`));
      writeScript(join(dir, 'run'), [
        'exec 2>&1',
        ...(program.directory ? [`cd ${shQuote(program.directory)} || exit 1`] : []),
        `exec chpst -u ${shQuote(program.user ?? user.name)} env ${[...env, ...program.command.map(shQuote)].join(' ')}`,
      ]);
      writeScript(join(dir, 'log', 'run'), [`exec chpst -u ${shQuote(user.name)} svlogd -tt ${shQuote(logDir(program.name))}`]);
      superviseFolder(dir, user);
      superviseFolder(join(dir, 'log'), user);
    },
    async load(name: string) {
      // runsvdir looks at its folder every 5 seconds; runsv answers once it has opened supervise/ok.
      for (let i = 0; i < 200; i++) {
        const answer = await run(sv('status', name)[0]!, sv('status', name).slice(1)).then(
          (r) => r.stdout,
          () => '',
        );
        if (/^(run|down|finish):/.test(answer)) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`runsvdir did not take up ${serviceDir(name)}`);
    },
    control: (verb, name) => sv(verb, name),
    runs: (output) => output.startsWith('run:'),
    serviceConfig: (name) => ({ manager: 'runit', runit: { serviceDir: folders.service, logDir: logDir(name) } }),
    // Debian's /etc/service is a link (to /etc/runit/runsvdir/current), which a bind would follow: runit hosts keep their own paths.
    binds: () => [],
  };
}
