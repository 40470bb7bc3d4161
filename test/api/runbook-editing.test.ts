import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiStack, type ApiStack } from '../support/api-stack.js';

let stack: ApiStack;

const source = (title: string, extra = '') =>
  `# Restart a stuck service: kept as written, comments included.\nid: restart-service\ntitle: ${title}\n${extra}nodes:\n  - id: restart\n    kind: shell\n    config:\n      command: [systemctl, restart, nginx]\n`;

beforeAll(async () => {
  stack = await startApiStack({ worker: false, taskQueue: `edit-no-worker-${process.pid}`, runbooks: {} });
});
afterAll(() => stack?.stop());

describe('editing runbooks through the API', () => {
  it('validates source without saving, returning every problem with its path', async () => {
    const bad = await stack.api.call('POST', '/api/runbooks/validate', { source: 'id: Bad Id\ntitle: ""\nnodes: []\n' }, stack.api.tokens.viewer);
    expect(bad.status).toBe(200);
    expect(bad.body.ok).toBe(false);
    expect(bad.body.problems.map((p: { path: string }) => p.path).sort()).toEqual(['id', 'nodes', 'title']);
    const good = await stack.api.call('POST', '/api/runbooks/validate', { source: source('Restart') }, stack.api.tokens.viewer);
    expect(good.body).toMatchObject({ ok: true, id: 'restart-service', planHash: expect.stringMatching(/^sha256:/), problems: [] });
    expect(readdirSync(stack.folder)).toEqual([]);
  });

  it('creates, updates with a plan-hash guard, and archives — writing files atomically', async () => {
    const created = await stack.api.call('POST', '/api/runbooks', { source: source('Restart') }, stack.api.tokens.operator);
    expect(created.status).toBe(201);
    expect(readFileSync(join(stack.folder, 'restart-service.yaml'), 'utf8')).toBe(source('Restart'));
    expect((await stack.api.call('POST', '/api/runbooks', { source: source('Again') }, stack.api.tokens.operator)).status).toBe(409);

    const invalid = await stack.api.call('PUT', '/api/runbooks/restart-service', { source: source('Broken', 'parameters: 7\n') }, stack.api.tokens.operator);
    expect(invalid.status).toBe(422);
    expect(invalid.body.details[0].path).toBe('parameters');
    const renamed = await stack.api.call('PUT', '/api/runbooks/restart-service', { source: source('X').replace('id: restart-service', 'id: other') }, stack.api.tokens.operator);
    expect(renamed.status).toBe(400);

    const updated = await stack.api.call('PUT', '/api/runbooks/restart-service', { source: source('Restart nginx'), expectedPlanHash: created.body.planHash }, stack.api.tokens.operator);
    expect(updated.status).toBe(200);
    expect(updated.body.planHash).not.toBe(created.body.planHash);
    const stale = await stack.api.call('PUT', '/api/runbooks/restart-service', { source: source('Lost update'), expectedPlanHash: created.body.planHash }, stack.api.tokens.operator);
    expect(stale.status).toBe(409);
    expect((await stack.api.call('GET', '/api/runbooks/restart-service')).body).toMatchObject({ runbook: { title: 'Restart nginx' }, planHash: updated.body.planHash });

    // Ownership: once the runbook names owners, only they (and admins) may change it.
    const owned = await stack.api.call('PUT', '/api/runbooks/restart-service', { source: source('Owned', 'owners: [operator]\n') }, stack.api.tokens.operator);
    expect(owned.status).toBe(200);
    const intruder = (await stack.api.tokenStore.create({ user: 'intruder', roles: ['operator'], createdBy: 'test' })).token;
    expect((await stack.api.call('PUT', '/api/runbooks/restart-service', { source: source('Mine now', 'owners: [intruder]\n') }, intruder)).status).toBe(403);
    expect((await stack.api.call('DELETE', '/api/runbooks/restart-service', undefined, intruder)).status).toBe(403);
    expect((await stack.api.call('DELETE', '/api/runbooks/restart-service', undefined, stack.api.tokens.viewer)).status).toBe(403);

    const plan = await stack.api.call('POST', '/api/runbooks/restart-service/plan', { params: {} }, stack.api.tokens.viewer);
    expect(plan.status).toBe(200);
    expect(plan.body).toMatchObject({ ok: true, runbookId: 'restart-service', stages: [{ stage: expect.any(Number), nodes: [{ id: 'restart', runs: 'yes' }] }] });
    expect((await stack.api.call('POST', '/api/runbooks/restart-service/plan', { params: { nope: 1 } }, stack.api.tokens.viewer)).body.details[0].path).toBe('body.params');
    expect((await stack.api.call('GET', '/api/runs?runbookId=restart-service')).body.runs).toEqual([]);

    const { versions } = (await stack.api.call('GET', '/api/runbooks/restart-service/versions', undefined, stack.api.tokens.viewer)).body;
    expect(versions.map((v: { savedBy: string }) => v.savedBy)).toEqual(['operator', 'operator', 'operator']);
    expect(versions[1].planHash).toBe(updated.body.planHash);
    const diff = await stack.api.call('GET', `/api/runbooks/restart-service/diff?from=${versions[0].versionHash}&to=${versions[1].versionHash}`, undefined, stack.api.tokens.viewer);
    expect(diff.status).toBe(200);
    expect(diff.body.diff).toContain('-title: Restart\n+title: Restart nginx');
    expect((await stack.api.call('GET', `/api/runbooks/restart-service/diff?from=${versions[0].versionHash}&to=sha256:${'f'.repeat(64)}`)).status).toBe(404);
    expect((await stack.api.call('GET', '/api/runbooks/restart-service/diff?from=x&to=y')).status).toBe(400);

    const archived = await stack.api.call('DELETE', '/api/runbooks/restart-service', undefined, stack.api.tokens.operator);
    expect(archived.status).toBe(200);
    expect(archived.body.archivedAs).toMatch(/^\.archive\/restart-service\..+\.yaml$/);
    expect(readFileSync(join(stack.folder, archived.body.archivedAs), 'utf8')).toBe(source('Owned', 'owners: [operator]\n'));
    expect(existsSync(join(stack.folder, 'restart-service.yaml'))).toBe(false);
    expect((await stack.api.call('GET', '/api/runbooks/restart-service')).status).toBe(404);
    expect((await stack.api.call('GET', '/api/runbooks')).body.runbooks).toEqual([]);
    // No temporary file is ever left beside the runbooks.
    expect(readdirSync(stack.folder)).toEqual(['.archive']);

    const audit = (await stack.api.call('GET', '/api/audit?limit=100')).body.records.map((r: { action: string; actor: { user: string }; status: number }) => `${r.action}:${r.actor.user}:${r.status}`);
    expect(audit.reverse()).toEqual([
      'createRunbook:operator:201',
      'createRunbook:operator:409',
      'updateRunbook:operator:422',
      'updateRunbook:operator:400',
      'updateRunbook:operator:200',
      'updateRunbook:operator:409',
      'updateRunbook:operator:200',
      'updateRunbook:intruder:403',
      'deleteRunbook:intruder:403',
      'deleteRunbook:viewer:403',
      'deleteRunbook:operator:200',
    ]);
  });
});
