import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer } from '../support/api-server.js';
import { connectToTestServer } from '../support/temporal.js';

let env: TestWorkflowEnvironment;
let api: Awaited<ReturnType<typeof startApiServer>>;
let folder: string;

const source = (title: string, extra = '') =>
  `# Restart a stuck service: kept as written, comments included.\nid: restart-service\ntitle: ${title}\n${extra}nodes:\n  - id: restart\n    kind: shell\n    config:\n      command: [systemctl, restart, nginx]\n`;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'runwright-edit-runbooks-'));
  env = await connectToTestServer();
  api = await startApiServer(env, { taskQueue: `edit-no-worker-${process.pid}`, runbooks: folder });
});
afterAll(async () => {
  await api?.close();
  await env?.teardown();
  rmSync(folder, { recursive: true, force: true });
});

describe('editing runbooks through the API', () => {
  it('validates source without saving, returning every problem with its path', async () => {
    const bad = await api.call('POST', '/api/runbooks/validate', { source: 'id: Bad Id\ntitle: ""\nnodes: []\n' }, api.tokens.viewer);
    expect(bad.status).toBe(200);
    expect(bad.body.ok).toBe(false);
    expect(bad.body.problems.map((p: { path: string }) => p.path).sort()).toEqual(['id', 'nodes', 'title']);
    const good = await api.call('POST', '/api/runbooks/validate', { source: source('Restart') }, api.tokens.viewer);
    expect(good.body).toMatchObject({ ok: true, id: 'restart-service', planHash: expect.stringMatching(/^sha256:/), problems: [] });
    expect(readdirSync(folder)).toEqual([]);
  });

  it('creates, updates with a plan-hash guard, and archives — writing files atomically', async () => {
    const created = await api.call('POST', '/api/runbooks', { source: source('Restart') }, api.tokens.operator);
    expect(created.status).toBe(201);
    expect(readFileSync(join(folder, 'restart-service.yaml'), 'utf8')).toBe(source('Restart'));
    expect((await api.call('POST', '/api/runbooks', { source: source('Again') }, api.tokens.operator)).status).toBe(409);

    const invalid = await api.call('PUT', '/api/runbooks/restart-service', { source: source('Broken', 'parameters: 7\n') }, api.tokens.operator);
    expect(invalid.status).toBe(422);
    expect(invalid.body.details[0].path).toBe('parameters');
    const renamed = await api.call('PUT', '/api/runbooks/restart-service', { source: source('X').replace('id: restart-service', 'id: other') }, api.tokens.operator);
    expect(renamed.status).toBe(400);

    const updated = await api.call('PUT', '/api/runbooks/restart-service', { source: source('Restart nginx'), expectedPlanHash: created.body.planHash }, api.tokens.operator);
    expect(updated.status).toBe(200);
    expect(updated.body.planHash).not.toBe(created.body.planHash);
    const stale = await api.call('PUT', '/api/runbooks/restart-service', { source: source('Lost update'), expectedPlanHash: created.body.planHash }, api.tokens.operator);
    expect(stale.status).toBe(409);
    expect((await api.call('GET', '/api/runbooks/restart-service')).body).toMatchObject({ runbook: { title: 'Restart nginx' }, planHash: updated.body.planHash });

    // Ownership: once the runbook names owners, only they (and admins) may change it.
    const owned = await api.call('PUT', '/api/runbooks/restart-service', { source: source('Owned', 'owners: [operator]\n') }, api.tokens.operator);
    expect(owned.status).toBe(200);
    const intruder = api.tokenStore.create({ user: 'intruder', roles: ['operator'], createdBy: 'test' }).token;
    expect((await api.call('PUT', '/api/runbooks/restart-service', { source: source('Mine now', 'owners: [intruder]\n') }, intruder)).status).toBe(403);
    expect((await api.call('DELETE', '/api/runbooks/restart-service', undefined, intruder)).status).toBe(403);
    expect((await api.call('DELETE', '/api/runbooks/restart-service', undefined, api.tokens.viewer)).status).toBe(403);

    const plan = await api.call('POST', '/api/runbooks/restart-service/plan', { params: {} }, api.tokens.viewer);
    expect(plan.status).toBe(200);
    expect(plan.body).toMatchObject({ ok: true, runbookId: 'restart-service', stages: [{ stage: expect.any(Number), nodes: [{ id: 'restart', runs: 'yes' }] }] });
    expect((await api.call('POST', '/api/runbooks/restart-service/plan', { params: { nope: 1 } }, api.tokens.viewer)).body.details[0].path).toBe('body.params');
    expect((await api.call('GET', '/api/runs?runbookId=restart-service')).body.runs).toEqual([]);

    const { versions } = (await api.call('GET', '/api/runbooks/restart-service/versions', undefined, api.tokens.viewer)).body;
    expect(versions.map((v: { savedBy: string }) => v.savedBy)).toEqual(['operator', 'operator', 'operator']);
    expect(versions[1].planHash).toBe(updated.body.planHash);
    const diff = await api.call('GET', `/api/runbooks/restart-service/diff?from=${versions[0].versionHash}&to=${versions[1].versionHash}`, undefined, api.tokens.viewer);
    expect(diff.status).toBe(200);
    expect(diff.body.diff).toContain('-title: Restart\n+title: Restart nginx');
    expect((await api.call('GET', `/api/runbooks/restart-service/diff?from=${versions[0].versionHash}&to=sha256:${'f'.repeat(64)}`)).status).toBe(404);
    expect((await api.call('GET', '/api/runbooks/restart-service/diff?from=x&to=y')).status).toBe(400);

    const archived = await api.call('DELETE', '/api/runbooks/restart-service', undefined, api.tokens.operator);
    expect(archived.status).toBe(200);
    expect(archived.body.archivedAs).toMatch(/^\.archive\/restart-service\..+\.yaml$/);
    expect(readFileSync(join(folder, archived.body.archivedAs), 'utf8')).toBe(source('Owned', 'owners: [operator]\n'));
    expect(existsSync(join(folder, 'restart-service.yaml'))).toBe(false);
    expect((await api.call('GET', '/api/runbooks/restart-service')).status).toBe(404);
    expect((await api.call('GET', '/api/runbooks')).body.runbooks).toEqual([]);
    // No temporary file is ever left beside the runbooks.
    expect(readdirSync(folder)).toEqual(['.archive']);

    const audit = (await api.call('GET', '/api/audit?limit=100')).body.records.map((r: { action: string; actor: { user: string }; status: number }) => `${r.action}:${r.actor.user}:${r.status}`);
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
