import { execFileSync } from 'node:child_process';
import { appendFileSync, chownSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../support/free-port.js';

/** Where Debian puts the server binaries: /usr/lib/postgresql/<major>/bin, newest first. */
export const postgresBinDir = (() => {
  const versions = readdirSync('/usr/lib/postgresql').filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  return join('/usr/lib/postgresql', versions[0]!, 'bin');
})();

export const postgresPassword = 'test-superuser-password';

export interface RunningPostgres {
  port: number;
  dataDir: string;
  connection: { host: string; port: number; user: string; password: string; database: string };
  /** Runs SQL through psql as the superuser and returns its unaligned output. */
  psql(sql: string, database?: string): string;
  stop(): void;
}

/** Runs a PostgreSQL program as the postgres user (the server refuses to run as root). */
function asPostgres(program: string, args: string[], env: Record<string, string> = {}): string {
  const asRoot = userInfo().uid === 0;
  const [command, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(postgresBinDir, program), ...args]] : [join(postgresBinDir, program), args];
  return execFileSync(command as string, argv as string[], { encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

function ownedFolder(path: string): string {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  if (userInfo().uid === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(path, uid, gid);
  }
  return path;
}

function running(folder: string, dataDir: string, port: number): RunningPostgres {
  const log = join(folder, `postgres-${port}.log`);
  asPostgres('pg_ctl', ['-D', dataDir, '-l', log, '-w', '-t', '60', 'start']);
  return {
    port,
    dataDir,
    connection: { host: '127.0.0.1', port, user: 'postgres', password: postgresPassword, database: 'postgres' },
    psql: (sql, database = 'postgres') =>
      asPostgres('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', database, '-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', sql], { PGPASSWORD: postgresPassword }).trim(),
    stop: () => {
      try {
        asPostgres('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
      } catch {
        // Already stopped.
      }
    },
  };
}

/**
 * A real PostgreSQL cluster made with initdb in `folder` (owned by postgres), listening on a
 * free loopback port with password (SCRAM) authentication and streaming replication enabled.
 */
export async function startPostgres(folder: string): Promise<RunningPostgres> {
  ownedFolder(folder);
  const port = await freePort();
  const dataDir = join(folder, `primary-${port}`);
  const pwfile = join(folder, 'pwfile');
  writeFileSync(pwfile, postgresPassword);
  if (userInfo().uid === 0) execFileSync('chown', ['postgres', pwfile]);
  asPostgres('initdb', ['-D', dataDir, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${pwfile}`, '--no-sync']);
  appendFileSync(
    join(dataDir, 'postgresql.conf'),
    [`port = ${port}`, "listen_addresses = '127.0.0.1'", `unix_socket_directories = '${folder}'`, 'wal_level = replica', 'max_wal_senders = 5', 'fsync = off', ''].join('\n'),
  );
  return running(folder, dataDir, port);
}

/** A streaming standby of `primary`, made with pg_basebackup -R, on its own port. */
export async function startReplica(folder: string, primary: RunningPostgres): Promise<RunningPostgres> {
  const port = await freePort();
  const dataDir = join(folder, `replica-${port}`);
  asPostgres('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres', '-D', dataDir, '-R', '-X', 'stream', '--checkpoint=fast', '--no-sync'], { PGPASSWORD: postgresPassword });
  appendFileSync(join(dataDir, 'postgresql.conf'), `port = ${port}\nhot_standby = on\n`);
  return running(folder, dataDir, port);
}
