import { describe, expect, it } from 'vitest';
import { evaluateExpression, parametersSchemaFor, renderTemplates, type ExpressionScope, type RunbookNode } from '@runwright/runbook';
import { shippedRunbook } from '../../support/runbooks.js';

// A rehearsal records actions but has no real outputs, so expressions over step outputs and
// alert labels never meet real values there. These feed them the values a real run produces.

const run = { id: 'run-1', runbookId: 'x', startedBy: 'alice' };

function node(runbookId: string, nodeId: string): RunbookNode {
  const found = shippedRunbook(runbookId).runbook.nodes.find((n) => n.id === nodeId);
  if (!found) throw new Error(`${runbookId} has no node ${nodeId}`);
  return found;
}

function scope(params: Record<string, unknown>, steps: ExpressionScope['steps']): ExpressionScope {
  return { params, steps, run };
}

/** The parameters an alert's labels become through a runbook's alert route, validated as a run's would be. */
async function alertParams(runbookId: string, labels: Record<string, string>) {
  const { runbook } = shippedRunbook(runbookId);
  const route = runbook.triggers.alerts[0]!;
  const params = await renderTemplates(route.params, { params: {}, steps: {}, run, alert: { labels, annotations: {} } });
  return { params, parsed: parametersSchemaFor(runbook.parameters).safeParse(params) };
}

describe('expressions of the shipped runbooks over real-shaped values', () => {
  it('service-down-restart branches on what the service manager said', async () => {
    const { config } = node('service-down-restart', 'running-or-down') as Extract<RunbookNode, { kind: 'branch' }>;
    const decide = (active: boolean) => evaluateExpression(config.expression, scope({}, { 'unit-status': { output: { exitCode: active ? 0 : 3, active } } }));
    expect(await decide(true)).toBe('running');
    expect(await decide(false)).toBe('down');
  });

  it('service-down-restart and disk-full-remediation take the host from the instance label, and refuse odd labels', async () => {
    expect((await alertParams('service-down-restart', { alertname: 'ShopApiDown', job: 'shop-api', instance: 'app-3.shop.internal:8080' })).params).toEqual({
      host: 'app-3.shop.internal',
      instance: 'app-3.shop.internal:8080',
    });
    const disk = await alertParams('disk-full-remediation', { alertname: 'NodeFilesystemAlmostFull', instance: 'db-7.internal:9100', mountpoint: '/srv' });
    expect(disk.parsed.success && disk.parsed.data).toMatchObject({ host: 'db-7.internal', mountpoint: '/srv', olderThanDays: 7 });
    // Not on allowedMountpoints, not a normalised path, or both.
    for (const mountpoint of ['/var/lib/postgresql', '/var; rm -rf /', '/var/../..', '/']) {
      const hostile = await alertParams('disk-full-remediation', { alertname: 'NodeFilesystemAlmostFull', instance: 'db-7.internal:9100', mountpoint });
      expect(hostile.parsed.success, mountpoint).toBe(false);
    }
    const noHost = await alertParams('service-down-restart', { alertname: 'ShopApiDown', job: 'shop-api', instance: '-oProxyCommand=x:1' });
    expect(noHost.parsed.success).toBe(false);
  });

  it('backup-verify reports the file, size, checksum and table count the backup produced', async () => {
    const { config } = node('backup-verify', 'report') as Extract<RunbookNode, { kind: 'notify' }>;
    const output = { file: '/var/backups/postgres/shop-1.dump', sizeBytes: 2048, sha256: 'ab'.repeat(32), verified: true, tables: { 'public.a': 1, 'public.b': 2, 'public.c': 3 }, removed: ['/old.dump'] };
    const rendered = await renderTemplates(config, scope({ database: 'shop' }, { 'dump-and-verify': { output } }));
    expect(rendered.title).toBe('Verified backup of shop');
    expect(rendered.message).toBe(`/var/backups/postgres/shop-1.dump: 2048 bytes, sha256 ${'ab'.repeat(32)}, 3 tables restored and compared; removed 1 old dumps.`);
  });

  it('dr-drill reads a zero data-loss window from the marker check, and nothing from a missing marker', async () => {
    const { objectives } = shippedRunbook('dr-drill').runbook;
    const expression = objectives!.dataLossSeconds!.replace(/^\{\{|\}\}$/g, '').trim();
    const found = { output: { rowCount: 1, rows: [{ run_id: 'run-1' }], fields: ['run_id'], truncated: false, durationMs: 3 } };
    expect(await evaluateExpression(expression, scope({}, { 'check-marker': found }))).toBe(0);
    expect(await evaluateExpression(expression, scope({}, { 'check-marker': { output: { ...found.output, rowCount: 0, rows: [] } } }))).toBeUndefined();
    const announce = node('dr-drill', 'announce-end') as Extract<RunbookNode, { kind: 'notify' }>;
    const rendered = await renderTemplates(announce.config, scope({ cluster: 'main' }, {}));
    expect(rendered.message).toBe('The drill report is at /api/runs/run-1/report.html');
  });

  it('disk-full-remediation reports what it freed, and asks a person only when usage is still at or above the target', async () => {
    const { config } = node('disk-full-remediation', 'report') as Extract<RunbookNode, { kind: 'notify' }>;
    const ssh = (stdout: string) => ({ output: { hosts: [{ host: 'db-7.internal:22', exitCode: 0, stdout, stderr: '', truncated: false, durationMs: 5 }], succeeded: 1, failed: 0 } });
    const steps = (used: string) => ({ 'delete-old-logs': ssh('freed 4096 bytes in 2 files\n/var/log/a.1\n/var/log/b.gz\n'), 'check-usage': ssh(`${used}\n`) });
    const params = { host: 'db-7.internal', mountpoint: '/var', targetUsePercent: 85 };
    const rendered = await renderTemplates(config, { ...scope(params, steps('62')), run: { ...run, id: 'run-7' } });
    expect(rendered.message).toBe('Run run-7: freed 4096 bytes in 2 files; usage is now 62% (target below 85%).');
    const takeOver = node('disk-full-remediation', 'take-over');
    expect(await evaluateExpression(takeOver.when!, scope(params, steps('62')))).toBe(false);
    expect(await evaluateExpression(takeOver.when!, scope(params, steps('85')))).toBe(true);
  });

  it('staged-release announces how many hosts took the release', async () => {
    const { config } = node('staged-release', 'announce') as Extract<RunbookNode, { kind: 'notify' }>;
    const output = { total: 8, succeeded: 7, failed: 1, skipped: 0, halted: false, failures: [] };
    const rendered = await renderTemplates(config, scope({ version: '2.4.1' }, { rollout: { output } }));
    expect(rendered.message).toBe('7 of 8 hosts run 2.4.1 (run run-1).');
  });
});
