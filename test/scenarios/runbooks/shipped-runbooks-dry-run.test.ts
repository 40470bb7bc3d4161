import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drillReport } from '@runwright/runbook';
import { runbooksFolder, shippedRunbook } from '../../support/runbooks.js';
import { connectToTestServer, startTestWorker, type RunningWorker } from '../../support/temporal.js';
import { rehearse, wouldRun } from './rehearse.js';

// Every shipped runbook is rehearsed on the real Temporal server: actions record what they would
// do (nothing is contacted), checkpoints are approved as a person would, and the records must
// name the commands, hosts and URLs an operator expects to see.

let env: TestWorkflowEnvironment;
let worker: RunningWorker;

beforeAll(async () => {
  env = await connectToTestServer();
  worker = await startTestWorker(env);
});

afterAll(async () => {
  await worker?.stop();
  await env?.teardown();
});

const ssh = ['ssh', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', '--'];
// A cluster name per test run, so the per-cluster concurrency key never meets another run's.
const cluster = `rehearsal-${randomUUID().slice(0, 8)}`;

describe('every shipped runbook rehearses in dry-run mode', () => {
  it('has a rehearsal below for each file in runbooks/', () => {
    const shipped = readdirSync(runbooksFolder).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, '')).sort();
    expect(shipped).toEqual(['backup-verify', 'disk-full-remediation', 'dr-drill', 'hello', 'postgres-failover', 'service-down-restart', 'staged-release']);
  });

  it('hello: greets, waits for the operator, checks the health URL', async () => {
    const run = await rehearse(env, worker.taskQueue, 'hello', { who: 'Ada' });
    expect(run.state).toMatchObject({ status: 'succeeded', dryRun: true });
    expect(wouldRun(run.state, 'say-hello').config).toMatchObject({ env: { WHO: 'Ada' } });
    expect(wouldRun(run.state, 'check-health').config).toMatchObject({ url: 'http://127.0.0.1:8080/healthz' });
  });

  it('postgres-failover: checks lag on the standby, fences the primary, promotes, switches the write backend', async () => {
    const run = await rehearse(env, worker.taskQueue, 'postgres-failover', { cluster, primaryHost: 'pg-a.db.internal' });
    const backend = { configFile: `/etc/haproxy/conf.d/pg-${cluster}-write.cfg`, upstream: `pg_${cluster}_write` };
    expect(run.state).toMatchObject({ status: 'succeeded', dryRun: true, concurrency: { key: `pg-${cluster}`, status: 'released' } });
    expect(run.approved).toEqual([`${run.handle.workflowId}#approve-failover`]);
    expect(run.state.nodes['approve-failover']!.output).toMatchObject({
      outcome: 'approved',
      decisions: [{ by: 'rehearsal-approver', checklist: { 'lag-read': true, 'primary-state': true, incident: 'rehearsal' } }],
    });
    expect(wouldRun(run.state, 'check-replay-lag')).toMatchObject({
      kind: 'postgres.sql',
      config: { connection: { host: 'pg-b.db.internal', port: 5432, user: 'runwright', password: { secret: 'PG_FAILOVER_PASSWORD' } }, params: [16777216], readOnly: true },
    });
    expect(wouldRun(run.state, 'check-lag-metric').config).toMatchObject({
      url: 'http://prometheus.monitoring.internal:9090',
      query: `max(pg_replication_lag_seconds{cluster="${cluster}"}) <= 10`,
    });
    expect(wouldRun(run.state, 'fence-old-primary').config).toMatchObject({
      service: 'postgresql',
      action: 'stop',
      command: [...ssh, 'pg-a.db.internal', 'sudo', 'systemctl', '{action}', '{service}'],
    });
    expect(wouldRun(run.state, 'promote-standby')).toMatchObject({ kind: 'postgres.promote', config: { connection: { host: 'pg-b.db.internal' }, requireStandby: true } });
    // The address, the backend and the port are templates rendered from the parameters (a typed port stays a number).
    expect(wouldRun(run.state, 'switch-writes').config).toMatchObject({ balancer: 'haproxy', ...backend, servers: [{ address: 'pg-b.db.internal:5432' }] });
    expect(wouldRun(run.state, 'wait-app-healthy').config).toMatchObject({ check: { kind: 'http', config: { url: 'http://shop.internal/healthz' } } });
    expect(wouldRun(run.state, 'announce').config).toMatchObject({
      title: `PostgreSQL ${cluster} failed over to pg-b.db.internal`,
      slack: { webhookUrl: { secret: 'SLACK_OPS_WEBHOOK_URL' }, channel: '#ops-database' },
    });
  });

  it('staged-release: a canary host, its inspection, then batches of a quarter of the fleet, each pushed, switched, restarted and read back', async () => {
    const hosts = ['app-1.shop.internal', 'app-2.shop.internal', 'app-3.shop.internal', 'app-4.shop.internal', 'app-5.shop.internal'];
    const run = await rehearse(env, worker.taskQueue, 'staged-release', { version: '2.4.1', hosts });
    expect(run.state).toMatchObject({ status: 'succeeded', dryRun: true });
    expect(run.approved).toEqual([`${run.handle.workflowId}#rollout.canary`]);
    expect(wouldRun(run.state, 'check-artifact').config).toMatchObject({ env: { BUILD: '/var/lib/runwright/artifacts/shop-api/2.4.1', VERSION: '2.4.1' } });
    // One canary, then ceil(25% of 5) = 2 hosts per batch: [1] [2,3] [4,5], with a gate after each.
    expect(run.state.nodes.rollout!.progress).toMatchObject({ total: 5, batches: 3, batchesDone: 3, halted: false });
    expect(run.state.nodes.rollout!.progress!.gates!.map((g) => g.id)).toEqual(['rollout.canary', 'rollout.batch-2', 'rollout.batch-3']);
    expect(Object.values(run.state.nodes.rollout!.progress!.items)).toEqual(hosts.map(() => 'succeeded'));
    expect(Object.keys((await run.batch('rollout', 1)).items)).toEqual(['app-1.shop.internal']);
    const third = await run.batch('rollout', 3);
    expect(Object.keys(third.items)).toEqual(['app-4.shop.internal', 'app-5.shop.internal']);
    const app5 = third.nodes['app-5.shop.internal']!;
    const login = { user: 'deploy', privateKey: { secret: 'DEPLOY_SSH_KEY' }, knownHostsFile: '/etc/ssh/ssh_known_hosts' };
    expect(wouldRun({ nodes: app5 }, 'note-previous')).toMatchObject({ kind: 'ssh', config: { hosts: ['app-5.shop.internal:22'], ...login, env: { APP_DIR: '/srv/shop-api' } } });
    expect(wouldRun({ nodes: app5 }, 'ship-release')).toMatchObject({
      kind: 'rsync',
      config: { host: 'app-5.shop.internal:22', ...login, localPath: '/var/lib/runwright/artifacts/shop-api/2.4.1/', remotePath: '/srv/shop-api/releases/2.4.1/', delete: true, checksum: true },
    });
    expect(wouldRun({ nodes: app5 }, 'activate').config).toMatchObject({ env: { APP_DIR: '/srv/shop-api', VERSION: '2.4.1' } });
    expect(wouldRun({ nodes: app5 }, 'restart').config).toMatchObject({
      service: 'shop-api',
      action: 'restart',
      manager: 'systemd',
      sudo: true,
      ssh: { host: 'app-5.shop.internal:22', ...login },
      health: { check: { kind: 'http', config: { url: 'http://app-5.shop.internal:8080/healthz' } } },
    });
    expect(wouldRun({ nodes: app5 }, 'verify-host').config).toMatchObject({ url: 'http://app-5.shop.internal:8080/version', assert: 'json.version = "2.4.1"' });
    expect(run.state.nodes['verify-front']).toMatchObject({ status: 'succeeded', output: { windowMs: 60_000 } });
    expect(wouldRun(run.state, 'announce').config).toMatchObject({ title: 'shop-api 2.4.1 is out' });
  });

  it('staged-release: refuses a version that could reach the remote shell as code', async () => {
    const run = await rehearse(env, worker.taskQueue, 'staged-release', { version: '2.4.1;reboot' });
    expect(run.state.status).toBe('failed');
    expect(run.state.error?.message).toMatch(/invalid parameters: params\.version: must match/);
    expect(Object.values(run.state.nodes).every((n) => n.status === 'pending')).toBe(true);
  });

  it('backup-verify: checks space, dumps with verification and retention, reports', async () => {
    const run = await rehearse(env, worker.taskQueue, 'backup-verify', { database: 'orders', targetDir: '/srv/backups/pg' });
    expect(run.state).toMatchObject({ status: 'succeeded', dryRun: true, concurrency: { key: 'backup-orders' } });
    expect(run.approved).toEqual([]);
    expect(wouldRun(run.state, 'check-free-space').config).toMatchObject({ env: { TARGET_DIR: '/srv/backups/pg', MIN_FREE_MB: '10240' } });
    expect(wouldRun(run.state, 'dump-and-verify')).toMatchObject({
      kind: 'postgres.backup',
      config: {
        connection: { host: 'pg-b.db.internal', user: 'backup', database: 'orders', password: { secret: 'BACKUP_DB_PASSWORD' } },
        targetDir: '/srv/backups/pg',
        verify: { rowCounts: true, assert: 'rows[0].tables > 0' },
        keep: 14,
      },
    });
    expect(wouldRun(run.state, 'report').config).toMatchObject({ title: 'Verified backup of orders', webhook: { url: 'https://hooks.internal/runwright/backups' } });
  });

  it('dr-drill: marks, fails over as a child run with its own sign-off, then signs the report', async () => {
    const drilled = `${cluster}-drill`;
    const run = await rehearse(env, worker.taskQueue, 'dr-drill', { cluster: drilled });
    const failed = Object.entries(run.state.nodes).filter(([, n]) => n.status === 'failed');
    expect(run.state, JSON.stringify({ error: run.state.error, failed })).toMatchObject({ status: 'succeeded', dryRun: true, concurrency: { key: `drill-${drilled}`, status: 'released' } });
    const failover = run.state.nodes.failover!;
    expect(failover).toMatchObject({ status: 'succeeded', output: { runbookId: 'postgres-failover', status: 'succeeded' } });
    expect(run.approved).toEqual([`${failover.child!.workflowId}#approve-failover`, `${run.handle.workflowId}#drill-report`]);
    const child = await run.child('failover');
    expect(child).toMatchObject({ dryRun: true, status: 'succeeded', params: { cluster: drilled, slackChannel: '#dr-drills' } });
    expect(wouldRun(child, 'fence-old-primary').config).toMatchObject({ command: [...ssh, 'pg-a.db.internal', 'sudo', 'systemctl', '{action}', '{service}'] });
    expect(wouldRun(child, 'promote-standby').config).toMatchObject({ connection: { host: 'pg-b.db.internal' } });
    expect(wouldRun(run.state, 'write-marker').config).toMatchObject({ connection: { host: 'pg-a.db.internal', database: 'shop' }, params: [run.handle.workflowId] });
    expect(wouldRun(run.state, 'check-marker').config).toMatchObject({ connection: { host: 'pg-b.db.internal' }, params: [run.handle.workflowId] });
    expect(run.state.nodes['drill-report']!.output).toMatchObject({
      outcome: 'approved',
      decisions: [{ checklist: { report_reviewed: true, rebuild_scheduled: true, follow_ups: 'rehearsal' } }],
    });
    // Its report is computed from the same run: a rehearsed failover recovers, but a dry run has no marker rows to count.
    const { runbook } = shippedRunbook('dr-drill');
    const report = await drillReport({ runId: run.handle.workflowId, runbook: { ...runbook, objectives: runbook.objectives! }, state: run.state });
    expect(report.measured.recoverySeconds).toEqual(expect.any(Number));
    expect(report.results.map((r) => [r.objective, r.met === null ? 'not measured' : 'measured'])).toEqual([['rto', 'measured'], ['rpo', 'not measured']]);
    expect(report).toMatchObject({ dryRun: true, verdict: 'incomplete' });
    expect(report.deviations.map((d) => d.type)).toEqual(['rehearsal', 'not-measured']);
  });

  it('disk-full-remediation: measures, deletes old rotated logs in log folders, vacuums, measures again on the alerted host', async () => {
    const run = await rehearse(env, worker.taskQueue, 'disk-full-remediation', { host: 'db-7.internal', mountpoint: '/var' });
    expect(run.state, JSON.stringify(run.state.error)).toMatchObject({ status: 'succeeded', dryRun: true, concurrency: { key: 'db-7.internal/var' } });
    // Every step reaches the alerted host through the ssh step, its key vouched for by the worker's known_hosts.
    const reach = { hosts: ['db-7.internal:22'], user: 'runwright', privateKey: { secret: 'REMEDIATION_SSH_KEY' }, knownHostsFile: '/etc/ssh/ssh_known_hosts', acceptUnknownHosts: false };
    for (const node of ['measure-usage', 'delete-old-logs', 'vacuum-journal', 'check-usage']) {
      expect(wouldRun(run.state, node)).toMatchObject({ kind: 'ssh', config: { ...reach, env: { MOUNT: '/var' } } });
    }
    expect(wouldRun(run.state, 'delete-old-logs').config).toMatchObject({
      env: { DAYS: '7', PATTERNS: '*.gz *.xz *.bz2 *.zst *.[0-9] *.[0-9].log *.old', FOLDERS: 'log logs', SUDO: 'sudo -n' },
    });
    expect(wouldRun(run.state, 'vacuum-journal').config).toMatchObject({ env: { SIZE: '500M', SUDO: 'sudo -n' } });
    expect(wouldRun(run.state, 'report').config).toMatchObject({ webhook: { url: 'https://hooks.internal/runwright/oncall' } });
  });

  it('disk-full-remediation: refuses a mount point that is not a normalised path on its list', async () => {
    for (const mountpoint of ['/var $(reboot)', '/var/../..', '/', '/etc']) {
      const run = await rehearse(env, worker.taskQueue, 'disk-full-remediation', { host: 'db-7.internal', mountpoint });
      expect(run.state.status, mountpoint).toBe('failed');
      expect(run.state.error?.message).toMatch(/params\.mountpoint: (an absolute path without|must be one of allowedMountpoints)/);
      expect(Object.values(run.state.nodes).every((n) => n.status === 'pending')).toBe(true);
    }
  });

  it('service-down-restart: a unit that is not active takes the restart path', async () => {
    const run = await rehearse(env, worker.taskQueue, 'service-down-restart', { host: 'app-3.shop.internal', instance: 'app-3.shop.internal:8080' });
    expect(run.state).toMatchObject({ status: 'succeeded', dryRun: true });
    expect(run.approved).toEqual([]);
    expect(wouldRun(run.state, 'unit-status').config).toMatchObject({
      manager: 'systemd',
      action: 'status',
      sudo: true,
      ssh: { host: 'app-3.shop.internal:22', user: 'runwright', knownHostsFile: '/etc/ssh/ssh_known_hosts', privateKey: { secret: 'REMEDIATION_SSH_KEY' } },
    });
    expect(wouldRun(run.state, 'save-logs').config).toMatchObject({ manager: 'systemd', action: 'logs', lines: 200 });
    // A rehearsal has no real status, so `active` is unknown and the branch takes `down`.
    expect(run.state.nodes['running-or-down']!.output).toMatchObject({ taken: ['down'] });
    expect(run.state.nodes['report-running']!.status).toBe('skipped');
    expect(wouldRun(run.state, 'restart-unit').config).toMatchObject({
      action: 'restart',
      health: { check: { config: { url: 'http://app-3.shop.internal:8080/healthz' } } },
    });
    expect(wouldRun(run.state, 'wait-scraped').config).toMatchObject({
      check: { kind: 'promql', config: { query: 'up{job="shop-api",instance="app-3.shop.internal:8080"} == 1' } },
    });
    expect(wouldRun(run.state, 'report-restart').config).toMatchObject({ webhook: { url: 'https://hooks.internal/runwright/oncall' } });
  });
});
