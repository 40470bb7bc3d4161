import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresPassword, startPostgres, type RunningPostgres } from '../scenarios/steps/servers/postgres.js';
import type { StoreSettings } from '../../apps/api/src/store/open-state-store.js';

/**
 * A real PostgreSQL (Debian's, on loopback) for the state store's database backend: one server
 * per test file, and a fresh database for each piece of state a test asks for.
 */
export interface StateDatabaseServer {
  server: RunningPostgres;
  /** A new, empty database, and the settings that open a store over it. */
  database(): { name: string; url: string; settings: StoreSettings; drop(): void };
  stop(): void;
}

let made = 0;

export async function startStateDatabaseServer(): Promise<StateDatabaseServer> {
  const folder = mkdtempSync(join(tmpdir(), 'runwright-state-pg-'));
  // The server runs as postgres and must traverse this folder to its own.
  chmodSync(folder, 0o755);
  const server = await startPostgres(join(folder, 'cluster'));
  return {
    server,
    database() {
      const name = `state_${process.pid}_${++made}`;
      server.psql(`CREATE DATABASE ${name}`);
      const url = `postgres://postgres:${encodeURIComponent(postgresPassword)}@127.0.0.1:${server.port}/${name}`;
      return {
        name,
        url,
        // The folders are never touched by the database backend: a path that does not exist proves it.
        settings: { RUNWRIGHT_DATA_DIR: join(folder, 'no-data-folder'), RUNWRIGHT_RUNBOOKS_DIR: join(folder, 'no-runbooks-folder'), RUNWRIGHT_DATABASE_URL: url, RUNWRIGHT_DATABASE_POOL_SIZE: '4' },
        drop: () => server.psql(`DROP DATABASE ${name} WITH (FORCE)`),
      };
    },
    stop() {
      server.stop();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
