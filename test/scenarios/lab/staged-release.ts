import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunView } from '@runwright/runbook';
import { openPage, screenshot, signIn } from '../../e2e/support/browser.js';
import { runwright } from '../../support/cli.js';
import type { PlansLab } from './plans-lab.js';
import { appPid, awaitRun, driveTraffic, finished, seconds, servedVersion, watchVersions } from './scenario-helpers.js';

// staged-release as written, on four lab hosts behind nginx: the build pushed with rsync, `current`
// switched over ssh, shop-api restarted through supervisord, the version read back from the host
// and through nginx. Soaks and the error-rate window are short through parameters; the runbook's
// own defaults are the realistic ones (10 and 20 minutes, 5m).

/** The lab's values for every parameter the runbook leaves to the site, for version `version`; `timing` for longer soaks. */
export function releaseParams(ctx: PlansLab, version: string, timing: Partial<Record<'errorRateWindow' | 'canarySoak' | 'batchSoak' | 'frontCheck', string>> = {}) {
  return {
    version,
    hosts: ctx.apps.map((h) => h.address),
    artifactRoot: ctx.values.artifactRoot,
    frontUrl: ctx.nginx.url,
    serviceManager: 'supervisor',
    useSudo: false,
    sshUser: ctx.values.sshUser,
    knownHostsFile: ctx.values.knownHostsFile,
    prometheusUrl: ctx.values.prometheusUrl,
    errorRateWindow: '20s',
    canarySoak: '10s',
    batchSoak: '3s',
    frontCheck: '4s',
    ...timing,
  };
}

const releasesOn = (ctx: PlansLab, name: string) => readdirSync(join(ctx.lab.host(name).paths.app, 'releases')).sort();
const gatesOf = (run: RunView) => run.state.nodes.rollout?.progress?.gates ?? [];

export function stagedReleaseScenarios(suite: () => PlansLab): void {
  describe('staged-release', () => {
    it('ships 2.0.0 started from the CLI: the canary soaks and is signed off from the CLI, a gate after every batch, all four serve 2.0.0 through nginx', async () => {
      const ctx = suite();
      ctx.lab.buildRelease('2.0.0');
      const params = releaseParams(ctx, '2.0.0');
      const traffic = driveTraffic(ctx.nginx.url);
      const started = Date.now();
      const args = ['run', 'staged-release', '-j', `hosts=${JSON.stringify(params.hosts)}`, '-j', 'useSudo=false'];
      for (const [name, value] of Object.entries(params)) if (typeof value === 'string') args.push('-p', `${name}=${value}`);
      const cli = await runwright(ctx.stack.api, args, ctx.shopTeamToken);
      expect(cli, cli.stderr).toMatchObject({ code: 0 });
      const runId = cli.stdout.trim();

      // The canary soaked under its guards, then waits for its inspection; nothing else has the release yet.
      const atCanary = await awaitRun(ctx.stack.api, runId, (r) => r.state.pendingCheckpoints.some((p) => p.nodeId === 'rollout.canary'), 'the canary inspection');
      expect(atCanary.state.nodes.rollout!.progress!.items).toMatchObject({ [params.hosts[0]!]: 'succeeded', [params.hosts[1]!]: 'pending' });
      expect(ctx.apps.map((h) => h.currentRelease())).toEqual(['2.0.0', '1.0.0', '1.0.0', '1.0.0']);
      const status = await runwright(ctx.stack.api, ['status', runId], ctx.shopTeamToken);
      expect(status.stdout).toContain(`approve with: runwright approve ${runId} rollout.canary`);
      const approved = await runwright(ctx.stack.api, ['approve', runId, 'rollout.canary', '--check', 'dashboards', '--check', 'logs', '-a', 'notes=canary quiet'], ctx.stack.api.tokens.approver);
      expect(approved, approved.stderr).toMatchObject({ code: 0 });

      const done = await awaitRun(ctx.stack.api, runId, finished, 'the release to finish');
      const counts = await traffic.stop();
      expect(done.state.status, JSON.stringify(done.state.error)).toBe('succeeded');
      // A gate after every batch: the canary's (soak and sign-off), then a soak after each of the three others.
      expect(gatesOf(done).map((g) => `${g.id} ${g.status}`)).toEqual(['rollout.canary passed', 'rollout.batch-2 passed', 'rollout.batch-3 passed', 'rollout.batch-4 passed']);
      expect(gatesOf(done)[0]!.decision).toEqual({ outcome: 'approved', by: ['approver'] });
      expect(gatesOf(done).every((g) => (g.polls ?? 0) >= 2)).toBe(true);
      expect(done.state.nodes['verify-front']).toMatchObject({ status: 'succeeded' });

      // On the hosts: the release folder pushed, `current` switched, the new process serving it.
      for (const host of ctx.apps) {
        expect(host.currentRelease(), host.name).toBe('2.0.0');
        expect(releasesOn(ctx, host.name)).toEqual(['1.0.0', '2.0.0']);
        expect(await servedVersion(host.appUrl)).toBe('2.0.0');
      }
      // Through nginx, round robin over all four: only 2.0.0.
      const answers = await Promise.all(Array.from({ length: 24 }, () => servedVersion(ctx.nginx.url)));
      expect(new Set(answers)).toEqual(new Set(['2.0.0']));
      expect(ctx.slack.bodies.map((b) => JSON.stringify(b.body))).toEqual([expect.stringContaining('4 of 4 hosts run 2.0.0')]);
      const errors = [...counts].filter(([key]) => !key.startsWith('200 ')).reduce((n, [, c]) => n + c, 0);
      ctx.figures.push(`staged-release 2.0.0 (CLI): ${seconds(Date.now() - started)} for 4 hosts, canary soak 10 s + sign-off, 3 batch soaks of 3 s; shop traffic through nginx ${[...counts].map(([k, v]) => `${k}: ${v}`).join(', ')} (${errors} not 200)`);
    }, 420_000);

    it('ships a broken 3.0.0 started from the editor: the canary guard trips on the error rate, the canary goes back to 2.0.0, the other hosts are never touched', async () => {
      const ctx = suite();
      ctx.lab.buildRelease('3.0.0', { kind: 'errors', afterSeconds: 6, ratio: 0.5 });
      const params = releaseParams(ctx, '3.0.0');
      const [canary, ...rest] = ctx.apps;
      const pidsBefore = rest.map(appPid);
      const linksBefore = rest.map((h) => h.currentRelease());
      const versions = watchVersions(ctx.apps);
      const traffic = driveTraffic(ctx.nginx.url);
      try {
        const { page, problems } = await openPage(ctx.browser, `${ctx.stack.api.url}/`);
        await signIn(page, ctx.shopTeamToken);
        await page.goto(`${ctx.stack.api.url}/#/runbooks/staged-release`);
        const form = page.locator('.start-form');
        for (const [name, value] of Object.entries(params)) {
          if (name === 'hosts') await form.locator('input[name="hosts"]').fill(params.hosts.join(', '));
          else if (name === 'serviceManager' || name === 'useSudo') await form.locator(`select[name="${name}"]`).selectOption(String(value));
          else await form.locator(`input[name="${name}"]`).fill(String(value));
        }
        await screenshot(page, 'lab-staged-release-start-form');
        const started = Date.now();
        await page.getByRole('button', { name: 'Start run' }).click();
        await page.waitForURL(/#\/runs\//);
        const runId = decodeURIComponent(page.url().split('#/runs/')[1]!);

        const done = await awaitRun(ctx.stack.api, runId, finished, 'the broken release to end');
        await traffic.stop();
        await versions.stop();
        const { state } = done;
        // The run reads rolled back: the canary's gate failed on the error-rate guard, the canary
        // (the only host that took 3.0.0) was rolled back, the others were skipped.
        expect(state.status).toBe('failed');
        const gate = gatesOf(done)[0]!;
        expect(gate).toMatchObject({ id: 'rollout.canary', status: 'failed', error: { type: 'GuardFailed', message: expect.stringContaining('guard "error-ratio" failed') } });
        expect(state.nodes.rollout!.progress!.items).toEqual({ [canary!.address]: 'rolled-back', ...Object.fromEntries(rest.map((h) => [h.address, 'skipped'])) });
        expect(state.error?.message).toMatch(/rollout\.canary.*error-ratio/);
        expect(state.nodes['verify-front']!.status).toBe('skipped');

        // The person who started it sees why, on the run page.
        await page.locator('.run-status.status-failed').waitFor();
        await expect.poll(() => page.locator('.run-page header .error').textContent()).toMatch(/guard "error-ratio" failed/);
        await screenshot(page, 'lab-staged-release-rolled-back');
        expect(problems).toEqual([]);
        await page.close();

        // On the hosts: the canary runs 2.0.0 again (link and process); the 3.0.0 folder it got stays, unused.
        expect(canary!.currentRelease()).toBe('2.0.0');
        expect(await servedVersion(canary!.appUrl)).toBe('2.0.0');
        expect(releasesOn(ctx, canary!.name)).toEqual(['1.0.0', '2.0.0', '3.0.0']);
        // The other three were never touched: same link, no 3.0.0 folder, the same process as before.
        expect(rest.map((h) => h.currentRelease())).toEqual(linksBefore);
        for (const host of rest) expect(releasesOn(ctx, host.name), host.name).toEqual(['1.0.0', '2.0.0']);
        expect(rest.map(appPid)).toEqual(pidsBefore);
        expect(versions.changes.filter((c) => c.host !== canary!.name && c.version === '3.0.0')).toEqual([]);

        const tripped = Date.parse(gate.endedAt!);
        const back = versions.servedAfter(canary!, '2.0.0', tripped);
        expect(back).toBeDefined();
        ctx.figures.push(
          `staged-release 3.0.0 (editor): guard tripped ${seconds(tripped - started)} after the start; canary back on 2.0.0 ${seconds(back! - tripped)} after the trip (run ended ${seconds(Date.parse(state.endedAt!) - tripped)} after it)`,
        );
      } finally {
        await traffic.stop();
        await versions.stop();
      }
    }, 420_000);
  });
}
