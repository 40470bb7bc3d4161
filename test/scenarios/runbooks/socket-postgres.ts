import { execFileSync } from 'node:child_process';
import { appendFileSync, chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { postgresBinDir, postgresPassword } from '../steps/servers/postgres.js';

/**
 * A real PostgreSQL cluster (initdb in `folder`) that listens only on a Unix socket in that
 * folder, on the standard port 5432: the port shipped runbooks use by default, and a socket in
 * a private folder can use it without meeting any other server.
 * Password (SCRAM) authentication, so the runbook's secret reference is really used.
 */
export interface SocketPostgres {
  /** The socket folder: the `host` a connection names. */
  socketDir: string;
  psql(sql: string, database?: string): string;
  stop(): void;
}

const asRoot = userInfo().uid === 0;

function asPostgres(program: string, args: string[], env: Record<string, string> = {}): string {
  const [command, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(postgresBinDir, program), ...args]] : [join(postgresBinDir, program), args];
  return execFileSync(command as string, argv as string[], { encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

function ownedFolder(folder: string): void {
  mkdirSync(folder, { recursive: true, mode: 0o755 });
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(folder, uid, gid);
  }
}

function socketConfig(folder: string): string {
  return ['port = 5432', "listen_addresses = ''", `unix_socket_directories = '${folder}'`, 'fsync = off', ''].join('\n');
}

function started(folder: string, dataDir: string): SocketPostgres {
  asPostgres('pg_ctl', ['-D', dataDir, '-l', join(folder, 'postgres.log'), '-w', '-t', '60', 'start']);
  return {
    socketDir: folder,
    psql: (sql, database = 'postgres') =>
      asPostgres('psql', ['-h', folder, '-p', '5432', '-U', 'postgres', '-d', database, '-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', sql], { PGPASSWORD: postgresPassword }).trim(),
    stop: () => {
      try {
        asPostgres('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
      } catch {
        // Already stopped.
      }
    },
  };
}

/** A streaming standby of `primary` (pg_basebackup -R) on its own socket folder. */
export function startSocketReplica(folder: string, primary: SocketPostgres): SocketPostgres {
  ownedFolder(folder);
  const dataDir = join(folder, 'data');
  asPostgres('pg_basebackup', ['-h', primary.socketDir, '-p', '5432', '-U', 'postgres', '-D', dataDir, '-R', '-X', 'stream', '--checkpoint=fast', '--no-sync'], { PGPASSWORD: postgresPassword });
  // The copied configuration names the primary's socket folder; later lines win.
  appendFileSync(join(dataDir, 'postgresql.conf'), `${socketConfig(folder)}hot_standby = on\n`);
  return started(folder, dataDir);
}

export function startSocketPostgres(folder: string): SocketPostgres {
  ownedFolder(folder);
  const dataDir = join(folder, 'data');
  const pwfile = join(folder, 'pwfile');
  writeFileSync(pwfile, postgresPassword);
  if (asRoot) execFileSync('chown', ['postgres', pwfile]);
  asPostgres('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwfile}`, '--no-sync']);
  appendFileSync(join(dataDir, 'postgresql.conf'), socketConfig(folder));
  return started(folder, dataDir);
}
