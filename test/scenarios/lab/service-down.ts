import { randomUUID } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '@runwright/runbook';
import { openPage, screenshot, signIn } from '../../e2e/support/browser.js';
import type { LabHost } from '../../lab/lab-host.js';
import { runwright } from '../../support/cli.js';
import { eventually } from '../../support/eventually.js';
import type { PlansLab } from './plans-lab.js';
import { appPid, auditRecords, awaitRun, finished, seconds } from './scenario-helpers.js';

// service-down-restart as shipped, started only by the shipped ShopApiDown rule firing in the
// lab's Prometheus and the shipped route in its Alertmanager, posting to the API with the
// receiver's token. The lab's values come from the installation's route parameters.

const instanceOf = (host: LabHost) => `${host.address}:8080`;

/** The alert decisions the API recorded since `since` for ShopApiDown on `instance`. */
async function decisions(ctx: PlansLab, action: string, instance: string, since: number): Promise<AuditRecord[]> {
  return (await auditRecords(ctx.stack.api, action)).filter(
    (r) => Date.parse(r.at) >= since && r.target.runbookId === 'service-down-restart' && (r.details?.labels as Record<string, string> | undefined)?.instance === instance,
  );
}

/** The one run an alert on `instance` started since `since`. */
async function startedRun(ctx: PlansLab, instance: string, since: number): Promise<string> {
  const [record] = await eventually(() => decisions(ctx, 'alert.started', instance, since), (r) => r.length > 0, { what: `a run started for ShopApiDown on ${instance}`, attempts: 1200 });
  return record!.target.runId!;
}

/** When the alert began firing: Alertmanager's `startsAt`, which the run's id carries. */
const firedAt = (runId: string) => Number(runId.slice(runId.lastIndexOf('-') + 1));

export function serviceDownScenarios(suite: () => PlansLab): void {
  describe('service-down-restart', () => {
    it('shop-api stops on app-2: the shipped alert fires, exactly one run checks it through supervisord, keeps its log lines, restarts it and waits until Prometheus scrapes it; the alert resolves', async () => {
      const ctx = suite();
      const host = ctx.lab.host('app-2');
      const instance = instanceOf(host);
      const since = Date.now();
      const before = appPid(host);
      expect((await host.control('stop')).exitCode).toBe(0);
      const stoppedAt = Date.now();
      const runId = await startedRun(ctx, instance, since);
      const done = await awaitRun(ctx.stack.api, runId, finished, 'the remediation to end');
      const { state } = done;
      expect(state.status, JSON.stringify(state.error)).toBe('succeeded');
      expect(state.startedBy).toBe('alertmanager');
      expect(state.params).toMatchObject({ host: host.address, instance, serviceManager: 'supervisor', supervisorConfig: '/etc/supervisor/supervisord.conf' });
      expect(state.nodes['unit-status']!.output).toMatchObject({ active: false, state: 'STOPPED', command: ['supervisorctl', '-c', '/etc/supervisor/supervisord.conf', 'status', 'shop-api'] });
      expect((state.nodes['save-logs']!.output as { lines: string[] }).lines.join('\n')).toMatch(/stopping on SIGTERM/);
      expect(state.nodes['restart-unit']).toMatchObject({ status: 'succeeded', output: { exitCode: 0 } });
      // The report and the wait for the scrape start together, so a resolution that comes the
      // moment Prometheus sees it up (the lab's 1 s scrapes and flushes) cuts neither short.
      expect(state.nodes['report-restart']!.status).toBe('succeeded');
      expect(state.nodes['wait-scraped']).toMatchObject({ status: 'succeeded', output: { output: { values: [1] } } });
      expect(state.nodes['report-running']!.status).toBe('skipped');
      expect(ctx.oncall.bodies.filter((b) => JSON.stringify(b.body).includes(`shop-api on ${host.address} was down and has been restarted`))).toHaveLength(1);

      // On the host and in Prometheus: a new process, scraped as up.
      expect(await host.runs()).toBe(true);
      expect(appPid(host)).not.toBe(before);
      expect(await ctx.lab.prometheus!.query(`up{instance="${instance}"} == 1`)).toHaveLength(1);
      // Alertmanager sent the resolution, and the firing started exactly one run.
      await eventually(() => decisions(ctx, 'alert.resolved', instance, since), (r) => r.length > 0, { what: 'the resolved notification', attempts: 1200 });
      expect(await decisions(ctx, 'alert.started', instance, since)).toHaveLength(1);
      const runs = await eventually(
        async () => (await ctx.stack.api.call('GET', `/api/runs?runbookId=service-down-restart&since=${new Date(since).toISOString()}`)).body.runs as { runId: string }[],
        (r) => r.length > 0,
        { what: 'the run in the run list' },
      );
      expect(runs.map((r) => r.runId)).toEqual([runId]);

      const fired = firedAt(runId);
      const restarted = Date.parse(state.nodes['restart-unit']!.endedAt!);
      const scraped = Date.parse(state.nodes['wait-scraped']!.endedAt!);
      ctx.figures.push(
        `service-down-restart (app-2): stopped → alert fired ${seconds(fired - stoppedAt)} (lab for: 5s); fired → restarted and healthy ${seconds(restarted - fired)}; fired → Prometheus scrapes it up ${seconds(scraped - fired)}; run ${seconds(Date.parse(state.endedAt!) - Date.parse(state.startedAt))}`,
      );
    }, 300_000);

    it('a restart that fails asks a person; a second firing for the same host meanwhile starts no second run: refused, audited and shown on the running remediation; the person fixes it and retries', async () => {
      const ctx = suite();
      const host = ctx.lab.host('app-3');
      const instance = instanceOf(host);
      const since = Date.now();
      // A bad deploy: `current` points at a release that cannot start, and the service is down.
      const working = host.currentRelease();
      host.installRelease('9.9.9-broken', { activate: true });
      writeFileSync(join(host.paths.app, 'releases', '9.9.9-broken', 'release.json'), '{ this is not json');
      expect((await host.control('stop')).exitCode).toBe(0);
      const runId = await startedRun(ctx, instance, since);
      const asking = await awaitRun(ctx.stack.api, runId, (r) => r.state.pendingCheckpoints.some((p) => p.nodeId === 'restart-unit' && p.kind === 'failure'), 'the failed restart to ask a person');
      expect(asking.state.nodes['restart-unit']!.error?.message).toMatch(/exited with/);

      // A second shop-api instance on the same host is scraped and down: ShopApiDown fires for it.
      const second = `${host.address}:8081`;
      ctx.scrape('shop-api', { extra: [{ targets: [second], labels: { host: host.name } }] });
      try {
        const [refused] = await eventually(() => decisions(ctx, 'alert.refused', second, since), (r) => r.length > 0, { what: 'the second firing refused', attempts: 1200 });
        expect(refused!.target).toMatchObject({ runbookId: 'service-down-restart', route: 'shop-api-down', heldBy: runId });
        expect(refused!.details!.reason).toBe(`run ${runId} holds the concurrency key "${host.address}"`);
        expect(await decisions(ctx, 'alert.started', second, since)).toEqual([]);

        // The on-call person sees it where they work: the run's state, the CLI, the run page.
        const held = await awaitRun(ctx.stack.api, runId, (r) => (r.state.heldBackAlerts ?? []).length > 0, 'the run to hear of the refused alert');
        expect(held.state.heldBackAlerts![0]).toMatchObject({ route: 'shop-api-down', labels: { alertname: 'ShopApiDown', instance: second }, reason: refused!.details!.reason });
        const status = await runwright(ctx.stack.api, ['status', runId], ctx.shopTeamToken);
        expect(status.stdout).toContain('alerts held back while this run works: 1');
        expect(status.stdout).toContain(`instance="${second}"`);
        const { page, problems } = await openPage(ctx.browser, `${ctx.stack.api.url}/`);
        await signIn(page, ctx.shopTeamToken);
        await page.goto(`${ctx.stack.api.url}/#/runs/${encodeURIComponent(runId)}`);
        await expect.poll(() => page.locator('.held-back-alerts').textContent()).toContain(`instance=${second}`);
        await screenshot(page, 'lab-service-down-held-back-alert');
        expect(problems).toEqual([]);
        await page.close();
      } finally {
        ctx.scrape('shop-api');
      }

      // The person puts `current` back, as they would by hand, and retries the restart.
      const fixed = await host.exec(['sh', '-c', 'cd /srv/shop-api && ln -sfn "releases/$0" .current-next && mv -T .current-next current', working]);
      expect(fixed.exitCode, fixed.stderr).toBe(0);
      const retried = await runwright(ctx.stack.api, ['act', runId, 'restart-unit', 'retry', '-m', 'current was on a broken release; put it back'], ctx.stack.api.tokens.approver);
      expect(retried, retried.stderr).toMatchObject({ code: 0 });
      const done = await awaitRun(ctx.stack.api, runId, finished, 'the remediation to end after the retry');
      expect(done.state.status, JSON.stringify(done.state.error)).toBe('succeeded');
      expect(done.state.nodes['restart-unit']).toMatchObject({ status: 'succeeded', retries: 1 });
      expect(await host.runs()).toBe(true);
      expect(await decisions(ctx, 'alert.started', instance, since)).toHaveLength(1);
    }, 300_000);

    it('a network blip: Prometheus cannot scrape app-4 while shop-api runs there; the run only tells on-call and restarts nothing', async () => {
      const ctx = suite();
      const host = ctx.lab.host('app-4');
      const instance = instanceOf(host);
      const since = Date.now();
      const before = appPid(host);
      // The scrape goes to a port nothing answers on, under the instance's own name: the path is broken, the service is not.
      ctx.scrape('shop-api', { replace: { [host.name]: { targets: [`${host.address}:8089`], labels: { host: host.name, instance } } } });
      let runId: string;
      try {
        runId = await startedRun(ctx, instance, since);
        const done = await awaitRun(ctx.stack.api, runId, finished, 'the remediation to end');
        expect(done.state.status).toBe('succeeded');
        expect(done.state.nodes['unit-status']!.output).toMatchObject({ active: true, state: 'RUNNING' });
        expect(done.state.nodes['report-running']!.status).toBe('succeeded');
        for (const node of ['save-logs', 'restart-unit', 'report-restart', 'wait-scraped']) expect(done.state.nodes[node]!.status, node).toBe('skipped');
        expect(ctx.oncall.bodies.filter((b) => JSON.stringify(b.body).includes(`shop-api on ${host.address} runs but Prometheus cannot scrape it`))).toHaveLength(1);
        expect(appPid(host)).toBe(before);
      } finally {
        ctx.scrape('shop-api');
      }
      await eventually(() => decisions(ctx, 'alert.resolved', instance, since), (r) => r.length > 0, { what: 'the resolution after the blip', attempts: 1200 });
      expect(appPid(host)).toBe(before);
    }, 300_000);

    it('fires the real alert with hostile label values: every one is refused by the parameter rules, no run starts, nothing runs', async () => {
      const ctx = suite();
      const since = Date.now();
      const marker = join(ctx.lab.root, `hostile-${randomUUID()}`);
      const hostile = [`$(touch ${marker}-1)x:8080`, `-oProxyCommand=touch ${marker}-2:22`, `a;touch ${marker}-3:8080`, `\`touch ${marker}-4\`:8080`];
      // Targets nothing answers on, labelled as an attacker (or a broken relabelling) would: the alert fires with these instances.
      ctx.scrape('shop-api', { extra: hostile.map((instance, i) => ({ targets: [`${ctx.lab.net}.${200 + i}:8080`], labels: { instance, host: `h-${i}` } })) });
      try {
        for (const instance of hostile) {
          const [refused] = await eventually(() => decisions(ctx, 'alert.refused', instance, since), (r) => r.length > 0, { what: `ShopApiDown for ${instance} refused`, attempts: 1200 });
          expect(refused!.details!.reason).toMatch(/^params\.(host|instance): must match/);
        }
      } finally {
        ctx.scrape('shop-api');
      }
      for (const instance of hostile) expect(await decisions(ctx, 'alert.started', instance, since)).toEqual([]);
      for (let i = 1; i <= hostile.length; i++) expect(existsSync(`${marker}-${i}`)).toBe(false);
    }, 300_000);
  });
}
