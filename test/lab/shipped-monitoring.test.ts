import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { shippedRunbook } from '../support/runbooks.js';
import { labAlertmanagerConfig, labRuleFile, shippedMonitoringFolder, shippedRuleFiles } from './shipped-monitoring.js';

// The monitoring files shipped in runbooks/monitoring/, checked by Prometheus's and
// Alertmanager's own tools, and kept in step with the runbooks their alerts start.

function run(program: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) =>
    execFile(program, args, { cwd: shippedMonitoringFolder }, (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, output: stdout + stderr })),
  );
}

const folder = mkdtempSync(join(tmpdir(), 'runwright-monitoring-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

interface Rule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
}
const rules = (file: string): Rule[] => (parse(readFileSync(file, 'utf8')) as { groups: { rules: Rule[] }[] }).groups.flatMap((g) => g.rules);

describe('runbooks/monitoring', () => {
  it('has rule files promtool accepts, whose promtool tests (with the shipped for:) pass', async () => {
    const files = shippedRuleFiles();
    expect(files.map((f) => f.slice(shippedMonitoringFolder.length))).toEqual(['shop-api.rules.yml']);
    const check = await run('promtool', ['check', 'rules', ...files]);
    expect(check.code, check.output).toBe(0);
    const test = await run('promtool', ['test', 'rules', 'shop-api.rules.test.yml']);
    expect(test, test.output).toMatchObject({ code: 0, output: expect.stringContaining('SUCCESS') });
  });

  it('keeps realistic for: durations in the shipped rules, and the lab copy changes only those', async () => {
    const shipped = shippedRuleFiles()[0]!;
    expect(Object.fromEntries(rules(shipped).map((r) => [r.alert, r.for]))).toEqual({ ShopApiDown: '1m', ShopApiHighErrorRate: '5m', NodeFilesystemAlmostFull: '10m' });
    const copy = labRuleFile(shipped, folder, '5s');
    expect(rules(copy).map((r) => r.for)).toEqual(['5s', '5s', '5s']);
    expect(rules(copy).map(({ for: _, ...rest }) => rest)).toEqual(rules(shipped).map(({ for: _, ...rest }) => rest));
    expect((await run('promtool', ['check', 'rules', copy])).code).toBe(0);
    expect(labRuleFile(shipped, folder, 'shipped')).toBe(shipped);
  });

  it('has an Alertmanager route amtool accepts, sending resolved alerts to Runwright\'s receiver; the lab changes only URL, token and waits', async () => {
    const check = await run('amtool', ['check-config', 'alertmanager.yml']);
    expect(check.code, check.output).toBe(0);
    const shipped = parse(readFileSync(join(shippedMonitoringFolder, 'alertmanager.yml'), 'utf8'));
    expect(shipped.receivers[0].webhook_configs[0]).toMatchObject({ url: expect.stringMatching(/\/api\/hooks\/alertmanager$/), send_resolved: true });
    const lab = labAlertmanagerConfig({ url: 'http://127.0.0.1:1/api/hooks/alertmanager', token: 't' }, { groupWait: '1s', groupInterval: '1s' });
    expect(lab).toMatchObject({
      route: { ...shipped.route, group_wait: '1s', group_interval: '1s' },
      receivers: [{ name: 'runwright', webhook_configs: [{ url: 'http://127.0.0.1:1/api/hooks/alertmanager', send_resolved: true, http_config: { authorization: { type: 'Bearer', credentials: 't' } } }] }],
    });
  });

  it('fires the alerts the remediation runbooks route on, with the labels their routes match', () => {
    const byName = Object.fromEntries(rules(shippedRuleFiles()[0]!).map((r) => [r.alert, r]));
    for (const id of ['service-down-restart', 'disk-full-remediation']) {
      const route = shippedRunbook(id).runbook.triggers.alerts[0]!;
      const alertname = route.match.find((m) => m.label === 'alertname')!.value;
      expect(byName[alertname], `${id} routes on ${alertname}`).toBeDefined();
      const job = route.match.find((m) => m.label === 'job');
      if (job) expect(byName[alertname]!.expr).toContain(`job="${job.value}"`);
    }
  });
});
