import type { Server } from 'node:http';
import { resolve } from 'node:path';
import pino from 'pino';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { readSettings } from '@runwright/runbook';
import { createApp } from '../../apps/api/src/app.js';
import { RunbookStore } from '../../apps/api/src/runbooks/runbook-store.js';
import { runbooksFolder } from './runbooks.js';

/** The real API app on a loopback port, talking to the test Temporal server. */
export async function startApiServer(
  env: TestWorkflowEnvironment,
  options: { taskQueue: string; runbooks?: string; settings?: Record<string, string> },
) {
  const settings = readSettings({
    RUNWRIGHT_TASK_QUEUE: options.taskQueue,
    RUNWRIGHT_EDITOR_DIR: resolve(import.meta.dirname, '../../apps/editor/dist'),
    ...options.settings,
  });
  const address = env.connection.options.address;
  const app = createApp({
    settings,
    log: pino({ level: 'warn' }),
    runbooks: new RunbookStore(options.runbooks ?? runbooksFolder),
    temporal: { client: env.client, connection: env.connection, address },
  });
  const server = await new Promise<Server>((done) => {
    const s = app.listen(0, '127.0.0.1', () => done(s));
  });
  const { port } = server.address() as { port: number };
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    /** fetch with JSON in and out. */
    async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
        ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await response.text();
      let json: any;
      try {
        json = JSON.parse(text);
      } catch {
        json = text;
      }
      return { status: response.status, body: json };
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
