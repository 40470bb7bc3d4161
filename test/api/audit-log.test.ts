import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRecordSchema } from '@runwright/runbook';
import { startApiStack, type ApiStack } from '../support/api-stack.js';

const taskQueue = `audit-no-worker-${process.pid}`;
let stack: ApiStack;

beforeAll(async () => {
  stack = await startApiStack({ worker: false, taskQueue });
});
afterAll(() => stack?.stop());

const auditFile = () => join(stack.api.dataDir, 'api', 'audit.jsonl');

describe('the audit log', () => {
  it('records every state-changing call, allowed or refused, with who, what, when and from where', async () => {
    await stack.api.call('POST', '/api/tokens', { user: 'erin', roles: ['viewer'] }, stack.api.tokens.admin, { 'user-agent': 'audit-test/1' });
    await stack.api.call('POST', '/api/tokens', { user: 'mallory', roles: ['admin'] }, stack.api.tokens.viewer);
    await stack.api.call('POST', '/api/tokens', { user: 'mallory', roles: ['admin'] }, null);
    await stack.api.call('POST', '/api/tokens', { user: 'bad name!', roles: ['viewer'] });
    await stack.api.call('GET', '/api/runbooks', undefined, stack.api.tokens.viewer);
    await stack.api.call('GET', '/api/tokens');

    const { status, body } = await stack.api.call('GET', '/api/audit');
    expect(status).toBe(200);
    expect(body.chain).toEqual({ ok: true, records: 4 });
    const records = body.records.map((r: unknown) => auditRecordSchema.parse(r));
    expect(records.map((r: { seq: number }) => r.seq)).toEqual([4, 3, 2, 1]);
    expect(records.map((r: { actor: { user: string }; action: string; outcome: string; status?: number }) => [r.actor.user, r.action, r.outcome, r.status])).toEqual([
      ['bootstrap', 'createToken', 'failed', 400],
      ['anonymous', 'createToken', 'denied', 401],
      ['viewer', 'createToken', 'denied', 403],
      ['bootstrap', 'createToken', 'ok', 201],
    ]);
    const first = records[3]!;
    expect(first.from).toEqual({ ip: expect.stringMatching(/127\.0\.0\.1$/), userAgent: 'audit-test/1' });
    expect(Date.parse(first.at)).not.toBeNaN();
    expect(first.actor.tokenId).toMatch(/^[0-9a-f]{16}$/);

    const filtered = await stack.api.call('GET', '/api/audit?outcome=denied&actor=viewer');
    expect(filtered.body.records.map((r: { seq: number }) => r.seq)).toEqual([2]);
    const bad = await stack.api.call('GET', '/api/audit?since=yesterday&limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { path: string }) => d.path).sort()).toEqual(['query.limit', 'query.since']);
  });

  it('detects a record changed, removed or reordered after it was written', async () => {
    const original = readFileSync(auditFile(), 'utf8');
    const lines = original.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(4);
    const check = async () => (await stack.api.call('GET', '/api/audit?limit=1')).body.chain;

    writeFileSync(auditFile(), original.replace('"outcome":"denied"', '"outcome":"ok"'));
    expect(await check()).toMatchObject({ ok: false, brokenAt: 2, message: expect.stringMatching(/changed/) });

    writeFileSync(auditFile(), [lines[0], ...lines.slice(2)].join('\n') + '\n');
    expect(await check()).toMatchObject({ ok: false, brokenAt: 2 });

    writeFileSync(auditFile(), [lines[1], lines[0], ...lines.slice(2)].join('\n') + '\n');
    expect(await check()).toMatchObject({ ok: false, brokenAt: 1 });

    writeFileSync(auditFile(), original.replace(/^\{/m, '{x'));
    expect(await check()).toMatchObject({ ok: false, brokenAt: 1 });

    writeFileSync(auditFile(), original);
    expect(await check()).toMatchObject({ ok: true });
  });
});
