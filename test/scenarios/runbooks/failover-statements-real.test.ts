import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderTemplates, type ActionType, type RunbookNode } from '@runwright/runbook';
import { AddressPolicy } from '../../../workers/src/config/address-policy.js';
import { envSecretSource } from '../../../workers/src/secrets/env-secret-source.js';
import { activityFailure, runActivity } from '../../support/activities.js';
import { shippedRunbook } from '../../support/runbooks.js';
import { postgresPassword } from '../steps/servers/postgres.js';
import { startSocketPostgres, startSocketReplica, type SocketPostgres } from './socket-postgres.js';

// The database half of postgres-failover and dr-drill, exactly as shipped, against a real
// primary and its streaming standby: each node's config is rendered with the run's parameters
// and handed to the real activity. A wrong statement here would surface at 3 a.m. otherwise.

let folder: string;
let primary: SocketPostgres;
let standby: SocketPostgres;
const activityConfig = { secrets: envSecretSource({ RUNWRIGHT_SECRET_PG_FAILOVER_PASSWORD: postgresPassword }), addresses: new AddressPolicy([]) };
const run = { id: 'run-dr-drill-1', runbookId: 'dr-drill', startedBy: 'drill-lead' };

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'runwright-failover-sql-'));
  chmodSync(folder, 0o755);
  primary = startSocketPostgres(join(folder, 'primary'));
  primary.psql('CREATE DATABASE shop');
  standby = startSocketReplica(join(folder, 'standby'), primary);
}, 120_000);

afterAll(() => {
  standby?.stop();
  primary?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

/** Runs one shipped node's action for real, with its templates rendered over these parameters. */
async function runNode(runbookId: string, nodeId: string, params: Record<string, unknown>) {
  const node = shippedRunbook(runbookId).runbook.nodes.find((n) => n.id === nodeId) as RunbookNode;
  const config = await renderTemplates(node.config, { params, steps: {}, run });
  return runActivity(node.kind as ActionType, config as Record<string, unknown>, { activityConfig });
}

async function eventually<T>(attempt: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (i >= 100) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

// The failover's defaults, with the hosts pointed at the two sockets.
const failoverParams = () => ({ dbUser: 'postgres', database: 'shop', maxLagBytes: 16777216, port: 5432, primaryHost: primary.socketDir, standbyHost: standby.socketDir });
const drillParams = () => ({ dbUser: 'postgres', database: 'shop', primaryHost: primary.socketDir, standbyHost: standby.socketDir });

describe('the SQL of postgres-failover and dr-drill on a real primary and standby', () => {
  it('check-replay-lag passes on a caught-up standby and refuses a server that is not one', async () => {
    const result = await runNode('postgres-failover', 'check-replay-lag', failoverParams());
    expect((result.output as { rows: unknown[] }).rows[0]).toMatchObject({ in_recovery: true, lag_ok: true });
    const onPrimary = await activityFailure(runNode('postgres-failover', 'check-replay-lag', { ...failoverParams(), standbyHost: primary.socketDir }));
    expect(onPrimary).toMatchObject({ type: 'AssertionFailed' });
  });

  it('verify-new-primary refuses a standby', async () => {
    const failure = await activityFailure(runNode('postgres-failover', 'verify-new-primary', failoverParams()));
    expect(failure.message).toMatch(/recovery|read-only|assertion/i);
  });

  it('the drill marker written on the primary survives the promotion, which the failover verifies', async () => {
    await runNode('dr-drill', 'ensure-marker-table', drillParams());
    await runNode('dr-drill', 'write-marker', drillParams());
    // Written again by a retry: still one marker.
    await runNode('dr-drill', 'write-marker', drillParams());
    await eventually(() => runNode('dr-drill', 'check-marker', drillParams()));

    const promoted = await runNode('postgres-failover', 'promote-standby', failoverParams());
    expect(promoted.output).toMatchObject({ wasStandby: true, promoted: true });
    const verified = await runNode('postgres-failover', 'verify-new-primary', failoverParams());
    expect((verified.output as { rows: unknown[] }).rows[0]).toMatchObject({ in_recovery: false });
    const marker = await runNode('dr-drill', 'check-marker', drillParams());
    expect(marker.output).toMatchObject({ rowCount: 1, rows: [{ run_id: run.id }] });
    // A second promotion is refused rather than silently "succeeding" on a primary.
    expect(await activityFailure(runNode('postgres-failover', 'promote-standby', failoverParams()))).toMatchObject({ nonRetryable: true });
  });
});
