import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { errorBodySchema } from '@runwright/runbook';
import { TokenStore } from '../../apps/api/src/auth/token-store.js';
import { FileTokenRecords } from '../../apps/api/src/store/file/file-token-records.js';
import { startApiServer } from '../support/api-server.js';
import { connectToTestServer } from '../support/temporal.js';

const taskQueue = `auth-no-worker-${process.pid}`;
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await connectToTestServer();
});
afterAll(async () => {
  await env?.teardown();
});

describe('API tokens', () => {
  it('shows a new token once, keeps only its hash, and stops accepting it when revoked', async () => {
    const api = await startApiServer(env, { taskQueue });
    try {
      const created = await api.call('POST', '/api/tokens', { user: 'carol', roles: ['approver', 'viewer'], description: 'on call' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ user: 'carol', roles: ['approver', 'viewer'], createdBy: 'bootstrap', token: expect.stringMatching(/^rw_.{40,}$/) });
      const { token, tokenId } = created.body;

      const stored = readFileSync(join(api.dataDir, 'api', 'tokens.json'), 'utf8');
      expect(stored).not.toContain(token);
      expect(stored).toContain(tokenId);

      const listed = await api.call('GET', '/api/tokens');
      expect(JSON.stringify(listed.body)).not.toContain(token);
      expect(listed.body.tokens.find((t: { tokenId: string }) => t.tokenId === tokenId)).not.toHaveProperty('hash');

      expect((await api.call('GET', '/api/me', undefined, token)).body).toEqual({ user: 'carol', roles: ['approver', 'viewer'], tokenId });
      expect((await api.call('POST', '/api/tokens', { user: 'x', roles: ['admin'] }, token)).status).toBe(403);

      expect((await api.call('DELETE', `/api/tokens/${tokenId}`)).status).toBe(200);
      const after = await api.call('GET', '/api/me', undefined, token);
      expect(after.status).toBe(401);
      expect(errorBodySchema.parse(after.body).error).toBe('unauthorized');
    } finally {
      await api.close();
    }
  });

  it('creates a bootstrap admin token on first start only, and picks up tokens written by another process', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'runwright-bootstrap-'));
    onTestFinished(() => rmSync(folder, { recursive: true, force: true }));
    const store = new TokenStore(new FileTokenRecords(join(folder, 'tokens.json')));
    const first = await store.bootstrap('');
    expect(first.created).toMatch(/^rw_/);
    expect(await store.authenticate(first.created!)).toMatchObject({ user: 'admin', roles: ['admin'] });
    expect(await store.bootstrap('')).toEqual({});

    // A second store on the same file stands for `runwright token create` beside a running API.
    const other = new TokenStore(new FileTokenRecords(join(folder, 'tokens.json')));
    const made = await other.create({ user: 'dave', roles: ['operator'], createdBy: 'cli' });
    expect(await store.authenticate(made.token)).toMatchObject({ user: 'dave' });
    expect(await store.authenticate(`${made.token}x`)).toBeUndefined();
  });

  it('refuses missing, malformed and unknown tokens with 401 in the one error shape', async () => {
    const api = await startApiServer(env, { taskQueue });
    try {
      for (const authorization of [undefined, 'Basic dXNlcjpwYXNz', 'Bearer', 'Bearer rw_wrong', `Bearer ${api.tokens.admin} extra`]) {
        const response = await api.call('GET', '/api/runbooks', undefined, null, authorization ? { authorization } : {});
        expect({ authorization, status: response.status }).toEqual({ authorization, status: 401 });
        expect(errorBodySchema.parse(response.body).error).toBe('unauthorized');
      }
      // Health stays open for load balancers and probes.
      expect((await api.call('GET', '/healthz', undefined, null)).status).toBe(200);
    } finally {
      await api.close();
    }
  });

  it('rate-limits failed authentication per address, valid tokens included once the budget is spent', async () => {
    const api = await startApiServer(env, { taskQueue, settings: { RUNWRIGHT_AUTH_FAILURE_LIMIT: '5' } });
    try {
      // Successful calls do not spend the budget.
      for (let i = 0; i < 10; i++) expect((await api.call('GET', '/api/me')).status).toBe(200);
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await api.call('GET', '/api/me', undefined, `rw_guess_${i}`)).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
      const blocked = await api.call('GET', '/api/me');
      expect(blocked.status).toBe(429);
      expect(blocked.body.error).toBe('rate_limited');
    } finally {
      await api.close();
    }
  });
});

describe('browser-facing protections', () => {
  it('sends security headers and keeps CORS closed unless origins are configured', async () => {
    const closed = await startApiServer(env, { taskQueue });
    const open = await startApiServer(env, { taskQueue, settings: { RUNWRIGHT_CORS_ORIGINS: 'https://ops.example.org' } });
    try {
      const plain = await closed.call('GET', '/api/runbooks', undefined, closed.tokens.viewer, { origin: 'https://evil.example' });
      expect(plain.headers.get('x-content-type-options')).toBe('nosniff');
      expect(plain.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(plain.headers.get('x-powered-by')).toBeNull();
      expect(plain.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
      expect(plain.headers.get('access-control-allow-origin')).toBeNull();

      const preflight = { origin: 'https://ops.example.org', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' };
      expect((await closed.call('OPTIONS', '/api/runbooks', undefined, null, preflight)).headers.get('access-control-allow-origin')).toBeNull();
      const allowed = await open.call('OPTIONS', '/api/runbooks', undefined, null, preflight);
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://ops.example.org');
      const other = await open.call('OPTIONS', '/api/runbooks', undefined, null, { ...preflight, origin: 'https://evil.example' });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await closed.close();
      await open.close();
    }
  });
});
