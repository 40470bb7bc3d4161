import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allows, routePath, routes, runProtocol, type RouteName } from '@runwright/runbook';
import { searchKeys } from '../../apps/api/src/temporal/search-keys.js';
import { startApiServer } from '../support/api-server.js';
import { runbooksFolder } from '../support/runbooks.js';
import { terminateRunning } from '../support/running-workflows.js';
import { connectToTestServer } from '../support/temporal.js';

// No worker polls this queue: runs the matrix starts just wait, so the test pins authorisation
// and nothing else, and terminates them at the end.
const taskQueue = `matrix-no-worker-${process.pid}`;

let env: TestWorkflowEnvironment;
let api: Awaited<ReturnType<typeof startApiServer>>;
let folder: string;
const callers: Record<string, { token: string | null; user?: string; roles: string[] }> = {};

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'runwright-matrix-runbooks-'));
  cpSync(join(runbooksFolder, 'hello.yaml'), join(folder, 'hello.yaml'));
  // The same runbook, owned by one operator: only they (and admins) may start it.
  const owned = readFileSync(join(runbooksFolder, 'hello.yaml'), 'utf8').replace(/^id: hello$/m, 'id: owned').replace(/^owners: \[\]$/m, 'owners: [owner-op]');
  writeFileSync(join(folder, 'owned.yaml'), owned);
  sources.owned = owned;
  sources.created = owned.replace(/^id: owned$/m, 'id: matrix-new');
  env = await connectToTestServer();
  api = await startApiServer(env, { taskQueue, runbooks: folder, settings: { RUNWRIGHT_AUTH_FAILURE_LIMIT: '100000' } });
  const revoked = await api.tokenStore.create({ user: 'gone', roles: ['admin'], createdBy: 'test' });
  await api.tokenStore.revoke(revoked.tokenId);
  Object.assign(callers, {
    anonymous: { token: null, roles: [] },
    'unknown token': { token: 'rw_not-a-token-at-all', roles: [] },
    'revoked admin': { token: revoked.token, roles: [] },
    viewer: { token: api.tokens.viewer, user: 'viewer', roles: ['viewer'] },
    operator: { token: api.tokens.operator, user: 'operator', roles: ['operator'] },
    approver: { token: api.tokens.approver, user: 'approver', roles: ['approver'] },
    'owner operator': { token: (await api.tokenStore.create({ user: 'owner-op', roles: ['operator'], createdBy: 'test' })).token, user: 'owner-op', roles: ['operator'] },
    admin: { token: api.tokens.admin, user: 'bootstrap', roles: ['admin'] },
  });
});

afterAll(async () => {
  await api?.close();
  if (env) {
    await terminateRunning(env, taskQueue);
    await env.teardown();
  }
  rmSync(folder, { recursive: true, force: true });
});

interface Sample {
  params?: Record<string, string>;
  body?: unknown;
  query?: string;
  /** The runbook the call operates, when it has owners. */
  ownedBy?: string[];
}

const runIds = { hello: '', owned: '' };
const sources = { owned: '', created: '' };

// One or more calls per route. `satisfies` makes a route added to the contract without a
// sample here a type error, so the matrix always covers every route.
const samplesFor = (runs: typeof runIds) => ({
  health: [{}],
  listRunbooks: [{}],
  getRunbook: [{ params: { runbookId: 'hello' } }, { params: { runbookId: 'owned' } }],
  startRun: [
    { params: { runbookId: 'hello' }, body: { params: {} } },
    { params: { runbookId: 'owned' }, body: { params: {} }, ownedBy: ['owner-op'] },
  ],
  getRun: [{ params: { runId: 'no-such-run' } }],
  decideCheckpoint: [{ params: { runId: 'no-such-run', nodeId: 'confirm' }, body: { decision: 'approve', planHash: 'sha256:0' } }],
  whoAmI: [{}],
  createToken: [{ body: { user: 'made-in-matrix', roles: ['admin'] } }],
  listTokens: [{}],
  revokeToken: [{ params: { tokenId: '0123456789abcdef' } }],
  listAudit: [{ query: '?limit=5' }],
  listRuns: [{ query: '?runbookId=hello&status=Running' }],
  cancelRun: [
    { params: { runId: runs.hello }, body: { reason: 'matrix' } },
    { params: { runId: runs.owned }, body: {}, ownedBy: ['owner-op'] },
  ],
  listRunEvents: [{ params: { runId: runs.hello } }],
  streamRun: [{ params: { runId: 'no-such-run' } }],
  getRunRunbook: [{ params: { runId: runs.hello } }],
  getRunbookVersion: [{ params: { runbookId: 'hello', planHash: `sha256:${'0'.repeat(64)}` } }],
  getDrillReport: [{ params: { runId: runs.hello } }],
  getDrillReportMarkdown: [{ params: { runId: runs.hello } }],
  getDrillReportHtml: [{ params: { runId: runs.hello } }],
  listDrills: [{ params: { runbookId: 'hello' } }],
  listCheckpoints: [{ query: '?runbookId=no-such-runbook' }],
  receiveAlerts: [
    {
      body: {
        version: '4', groupKey: 'matrix', status: 'firing', receiver: 'runwright',
        alerts: [{ status: 'firing', labels: { alertname: 'MatrixMatchesNoRoute' }, startsAt: '2026-01-01T00:00:00Z', fingerprint: 'abc123' }],
      },
    },
  ],
  getAlertSwitch: [{}],
  setAlertSwitch: [{ body: { paused: false, reason: 'matrix' } }],
  // API tokens grant nothing here: only a valid signature does (webhook-signatures.test.ts).
  receiveWebhook: [{ params: { runbookId: 'hello', hook: 'deploy' }, body: { any: 'thing' } }],
  rotateWebhookSecret: [{ params: { runbookId: 'hello', hook: 'deploy' } }],
  openApi: [{}],
  metrics: [{}],
  listSchedules: [{}],
  syncSchedules: [{}],
  pauseSchedule: [{ params: { scheduleId: 'runwright:hello:nightly' }, body: { paused: true } }],
  triggerSchedule: [{ params: { scheduleId: 'runwright:hello:nightly' } }],
  backfillSchedule: [{ params: { scheduleId: 'runwright:hello:nightly' }, body: { start: '2026-01-01T00:00:00Z', end: '2026-01-02T00:00:00Z' } }],
  setScheduleOverride: [{ params: { scheduleId: 'runwright:hello:nightly' }, body: { every: '30s' } }],
  clearScheduleOverride: [{ params: { scheduleId: 'runwright:hello:nightly' } }],
  listRunbookVersions: [{ params: { runbookId: 'hello' } }],
  previewRunbookPlan: [{ params: { runbookId: 'hello' }, body: { params: {} } }],
  diffRunbookVersions: [{ params: { runbookId: 'hello' }, query: `?from=sha256:${'0'.repeat(64)}&to=sha256:${'1'.repeat(64)}` }],
  // Changes to files last, so the calls above see the runbooks as they were.
  validateRunbook: [{ body: { source: 'id: x\ntitle: X\nnodes: []\n' } }],
  createRunbook: [{ body: { source: sources.created }, ownedBy: ['owner-op'] }],
  updateRunbook: [{ params: { runbookId: 'owned' }, body: { source: sources.owned }, ownedBy: ['owner-op'] }],
  deleteRunbook: [
    { params: { runbookId: 'owned' }, ownedBy: ['owner-op'] },
    { params: { runbookId: 'hello' } },
  ],
}) satisfies Record<RouteName, Sample[]>;

describe('route × role matrix', () => {
  it('refuses every call a role may not make, and lets through every call it may', async () => {
    for (const id of ['hello', 'owned'] as const) {
      const handle = await env.client.workflow.start(runProtocol.workflowType, {
        taskQueue,
        workflowId: `matrix-${id}-${randomUUID()}`,
        args: [{}],
        typedSearchAttributes: [{ key: searchKeys.runbookId, value: id }],
      });
      runIds[id] = handle.workflowId;
    }
    const samples = samplesFor(runIds);
    const rows: string[] = [];
    let cells = 0;
    for (const [name, routeSamples] of Object.entries(samples) as [RouteName, Sample[]][]) {
      const route = routes[name];
      for (const sample of routeSamples) {
        for (const [who, caller] of Object.entries(callers)) {
          const path = routePath(route.path, sample.params) + (sample.query ?? '');
          const response = await api.call(route.method, path, sample.body, caller.token);
          cells++;
          const roleAllows = route.access === 'public' || (caller.token !== null && caller.user !== undefined && allows(route.access, caller.roles));
          const ownerAllows = !sample.ownedBy || caller.roles.includes('admin') || sample.ownedBy.includes(caller.user ?? '');
          const expected = roleAllows && ownerAllows ? 'allowed' : 'refused';
          const refused = response.status === 401 || response.status === 403;
          // Once an allowed caller archived a runbook, the next caller's 404 is no success either.
          const gone = response.status === 404 && sample.ownedBy !== undefined;
          const actual = refused || (expected === 'refused' && gone) ? 'refused' : response.status < 500 ? 'allowed' : `error ${response.status}`;
          if (actual !== expected) rows.push(`${route.method} ${path} as ${who}: expected ${expected}, got ${response.status} ${JSON.stringify(response.body)}`);
          if (refused && !gone) {
            expect(response.body.error).toBe((caller.user === undefined && route.access !== 'public') || route.access === 'webhook' ? 'unauthorized' : 'forbidden');
          }
        }
      }
    }
    expect(rows).toEqual([]);
    expect(cells).toBe(Object.values(samples).flat().length * Object.keys(callers).length);
    console.info(`role matrix: ${Object.keys(samples).length} routes, ${Object.values(samples).flat().length} calls × ${Object.keys(callers).length} callers = ${cells} cells`);

    // What the allowed calls changed is exactly what the allowed callers were entitled to.
    const made = (await api.tokenStore.list()).filter((t) => t.user === 'made-in-matrix');
    expect(made.map((t) => t.createdBy)).toEqual(['bootstrap']);
    const { body } = await api.call('GET', '/api/audit?action=startRun&outcome=ok&limit=1000');
    const starters = body.records.map((r: { actor: { user: string }; target: { runbookId: string } }) => `${r.actor.user}:${r.target.runbookId}`).sort();
    expect(starters).toEqual(['bootstrap:hello', 'bootstrap:owned', 'operator:hello', 'owner-op:hello', 'owner-op:owned']);
  });
});
