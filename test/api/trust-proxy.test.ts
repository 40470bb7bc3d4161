import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trustProxySetting } from '../../apps/api/src/http/trust-proxy.js';
import { startApiServer } from '../support/api-server.js';
import { connectToTestServer } from '../support/temporal.js';

const taskQueue = `trust-proxy-no-worker-${process.pid}`;
let env: TestWorkflowEnvironment;
// The test itself plays the reverse proxy: it connects from loopback and sets X-Forwarded-For.
let direct: Awaited<ReturnType<typeof startApiServer>>;
let behindProxy: Awaited<ReturnType<typeof startApiServer>>;
let oneHop: Awaited<ReturnType<typeof startApiServer>>;

beforeAll(async () => {
  env = await connectToTestServer();
  const limit = { RUNWRIGHT_AUTH_FAILURE_LIMIT: '3' };
  direct = await startApiServer(env, { taskQueue, settings: limit });
  behindProxy = await startApiServer(env, { taskQueue, settings: { ...limit, RUNWRIGHT_TRUST_PROXY: '127.0.0.1,::1' } });
  oneHop = await startApiServer(env, { taskQueue, settings: { ...limit, RUNWRIGHT_TRUST_PROXY: '1' } });
});

afterAll(async () => {
  await Promise.all([direct?.close(), behindProxy?.close(), oneHop?.close()]);
  await env?.teardown();
});

type Api = typeof direct;
const forwardedFor = (address: string) => ({ 'x-forwarded-for': address });

async function auditedAddress(api: Api, headers: Record<string, string>): Promise<string | undefined> {
  const user = `proxy-${Math.random().toString(36).slice(2)}`;
  const made = await api.call('POST', '/api/tokens', { user, roles: ['viewer'] }, api.tokens.admin, headers);
  expect(made.status).toBe(201);
  const { body } = await api.call('GET', '/api/audit?action=createToken&limit=1');
  return body.records[0].from.ip;
}

/** Statuses of `count` calls with a wrong token, as seen from `address`. */
async function failures(api: Api, address: string, count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) statuses.push((await api.call('GET', '/api/me', undefined, 'rw_wrong', forwardedFor(address))).status);
  return statuses;
}

describe('RUNWRIGHT_TRUST_PROXY', () => {
  it('off by default: X-Forwarded-For is ignored by the audit log and the failed-auth limit', async () => {
    expect(await auditedAddress(direct, forwardedFor('203.0.113.7'))).toMatch(/^(::ffff:)?127\.0\.0\.1$|^::1$/);
    expect(await failures(direct, '203.0.113.1', 4)).toEqual([401, 401, 401, 429]);
    // A forged header cannot escape the limit: the connection's address is what counts.
    expect(await failures(direct, '203.0.113.2', 1)).toEqual([429]);
  });

  it('trusting the proxy: the client address behind it is audited and limited on its own', async () => {
    expect(await auditedAddress(behindProxy, forwardedFor('203.0.113.7'))).toBe('203.0.113.7');
    expect(await failures(behindProxy, '203.0.113.1', 4)).toEqual([401, 401, 401, 429]);
    // Another client behind the same proxy keeps its own budget.
    expect(await failures(behindProxy, '203.0.113.2', 1)).toEqual([401]);
    expect((await behindProxy.call('GET', '/api/me', undefined, behindProxy.tokens.viewer, forwardedFor('203.0.113.2'))).status).toBe(200);
  });

  it('a hop count trusts only that many proxies: an address the client wrote itself is not believed', async () => {
    // The client claimed 198.51.100.1; the one trusted proxy saw 203.0.113.9 connect.
    expect(await auditedAddress(oneHop, forwardedFor('198.51.100.1, 203.0.113.9'))).toBe('203.0.113.9');
  });

  it('refuses to trust every proxy, and reads hop counts and address lists', () => {
    expect(trustProxySetting('')).toBe(false);
    expect(trustProxySetting('2')).toBe(2);
    expect(trustProxySetting('10.0.0.1, loopback')).toEqual(['10.0.0.1', 'loopback']);
    expect(() => trustProxySetting('true')).toThrow(/RUNWRIGHT_TRUST_PROXY/);
  });
});
