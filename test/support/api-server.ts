import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pino from 'pino';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { readSettings } from '@runwright/runbook';
import { apiState } from '../../apps/api/src/api-state.js';
import { createApp } from '../../apps/api/src/app.js';
import { openStateStore } from '../../apps/api/src/store/open-state-store.js';
import { runbooksFolder } from './runbooks.js';

/** One token per role; each acts as the user named like its role (`operator`, `approver`…). */
export type RoleTokens = Record<'admin' | 'viewer' | 'operator' | 'approver', string>;

/**
 * The real API app on a loopback port, talking to the test Temporal server, with its own data
 * folder (tokens, audit log) and a token per role. `call` uses the admin token unless told
 * otherwise (`null` sends none).
 */
export async function startApiServer(
  env: TestWorkflowEnvironment,
  options: { taskQueue: string; runbooks?: string; settings?: Record<string, string> },
) {
  const dataDir = mkdtempSync(join(tmpdir(), 'runwright-api-'));
  const settings = readSettings({
    RUNWRIGHT_TASK_QUEUE: options.taskQueue,
    RUNWRIGHT_DATA_DIR: dataDir,
    RUNWRIGHT_RUNBOOKS_DIR: options.runbooks ?? runbooksFolder,
    RUNWRIGHT_BOOTSTRAP_TOKEN: `rw_test_${randomBytes(24).toString('base64url')}`,
    RUNWRIGHT_EDITOR_DIR: resolve(import.meta.dirname, '../../apps/editor/dist'),
    ...options.settings,
  });
  const address = env.connection.options.address;
  const store = await openStateStore(settings);
  const state = apiState(store, settings);
  const { tokens: tokenStore, audit } = state;
  await tokenStore.bootstrap(settings.RUNWRIGHT_BOOTSTRAP_TOKEN);
  const tokens: RoleTokens = {
    admin: settings.RUNWRIGHT_BOOTSTRAP_TOKEN,
    viewer: (await tokenStore.create({ user: 'viewer', roles: ['viewer'], createdBy: 'test' })).token,
    operator: (await tokenStore.create({ user: 'operator', roles: ['operator'], createdBy: 'test' })).token,
    approver: (await tokenStore.create({ user: 'approver', roles: ['approver'], createdBy: 'test' })).token,
  };
  const app = createApp({
    ...state,
    settings,
    log: pino({ level: 'warn' }),
    temporal: { client: env.client, connection: env.connection, address },
  });
  const server = await new Promise<Server>((done) => {
    const s = app.listen(0, '127.0.0.1', () => done(s));
  });
  const { port } = server.address() as { port: number };
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    dataDir,
    tokens,
    tokenStore,
    audit,
    /** fetch with JSON in and out, as the holder of `token`. */
    async call(method: string, path: string, body?: unknown, token: string | null = tokens.admin, headers: Record<string, string> = {}) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: {
          ...(body !== undefined && { 'content-type': 'application/json' }),
          ...(token !== null && { authorization: `Bearer ${token}` }),
          ...headers,
        },
        ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await response.text();
      let json: any;
      try {
        json = JSON.parse(text);
      } catch {
        json = text;
      }
      return { status: response.status, body: json, headers: response.headers };
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => {
          void store.close().finally(() => {
            rmSync(dataDir, { recursive: true, force: true });
            done();
          });
        });
      }),
  };
}
