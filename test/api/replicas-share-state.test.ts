import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer } from '../support/api-server.js';
import { startApiStack, type ApiServer, type ApiStack } from '../support/api-stack.js';
import { runbooksFolder } from '../support/runbooks.js';
import { startStateDatabaseServer, type StateDatabaseServer } from '../support/state-database.js';

// Two API replicas over one PostgreSQL, as the cluster runs them (there behind HAProxy, here
// side by side): whatever one writes, the other serves at once.
let postgres: StateDatabaseServer;
let stack: ApiStack;
let one: ApiServer;
let two: ApiServer;

beforeAll(async () => {
  postgres = await startStateDatabaseServer();
  const settings = { RUNWRIGHT_DATABASE_URL: postgres.database().settings.RUNWRIGHT_DATABASE_URL!, RUNWRIGHT_DATABASE_POOL_SIZE: '4' };
  stack = await startApiStack({ worker: false, settings });
  one = stack.api;
  two = await startApiServer(stack.env, { taskQueue: stack.taskQueue, settings });
}, 180_000);
afterAll(async () => {
  await two?.close();
  await stack?.stop();
  postgres?.stop();
});

describe('two API replicas sharing one PostgreSQL', () => {
  it('agree at once on tokens, runbooks, the alert switch, and one audit chain holding both', async () => {
    const created = await one.call('POST', '/api/tokens', { user: 'dana', roles: ['operator'], description: 'made on replica one' });
    expect(created.status).toBe(201);
    expect((await two.call('GET', '/api/me', undefined, created.body.token)).body).toMatchObject({ user: 'dana', roles: ['operator'] });

    const source = readFileSync(join(runbooksFolder, 'hello.yaml'), 'utf8');
    expect((await two.call('POST', '/api/runbooks', { source })).status).toBe(201);
    expect((await one.call('GET', '/api/runbooks/hello')).body).toMatchObject({ source, problems: [] });
    const changed = source.replace(/^title: .*$/m, 'title: Hello from replica one');
    expect((await one.call('PUT', '/api/runbooks/hello', { source: changed })).status).toBe(200);
    expect((await two.call('GET', '/api/runbooks/hello')).body.source).toBe(changed);
    expect((await two.call('GET', '/api/runbooks/hello/versions')).body.versions).toHaveLength(2);

    expect((await two.call('PUT', '/api/triggers/alerts', { paused: true, reason: 'storm' })).status).toBe(200);
    expect((await one.call('GET', '/api/triggers/alerts')).body).toMatchObject({ paused: true, reason: 'storm' });

    expect((await two.call('DELETE', `/api/tokens/${created.body.tokenId}`)).status).toBe(200);
    expect((await one.call('GET', '/api/me', undefined, created.body.token)).status).toBe(401);

    // Both replicas wrote to the audit log: one chain, verified by either.
    for (const replica of [one, two]) {
      const audit = (await replica.call('GET', '/api/audit?limit=100')).body;
      expect(audit.chain).toMatchObject({ ok: true });
      const actions = (audit.records as { action: string }[]).map((r) => r.action);
      expect(actions).toEqual(expect.arrayContaining(['createToken', 'createRunbook', 'updateRunbook', 'setAlertSwitch', 'revokeToken']));
    }
  });
});
