import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chownSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, symlinkSync, utimesSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '@runwright/runbook';
import type { LabHost } from '../../lab/lab-host.js';
import { runwright } from '../../support/cli.js';
import { eventually } from '../../support/eventually.js';
import type { PlansLab } from './plans-lab.js';
import { auditRecords, awaitRun, finished, seconds } from './scenario-helpers.js';

// disk-full-remediation as shipped, started by the shipped NodeFilesystemAlmostFull rule over each
// host's node exporter, which reports the host's data tmpfs (a real filesystem that fills). The
// mount points it may clean come from the installation's route parameters (allowedMountpoints).
// The lab hosts run no systemd: the journal step must say so and go on.

const MiB = 1024 * 1024;
const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000);

/**
 * Writes `bytes` into `base/relative` (folders made), ten days old unless `fresh`, owned (with
 * the folders under `base`) by the lab's login user: what the cleanup would be able to delete if
 * it went there, so a file that survives proves the plan left it alone, not a permission.
 */
function file(ctx: PlansLab, base: string, relative: string, bytes: number, fresh = false): string {
  const { uid, gid } = ctx.lab.user;
  const path = join(base, relative);
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'w', 0o644);
  const chunk = Buffer.alloc(Math.min(bytes, MiB), 7);
  for (let left = bytes; left > 0; left -= chunk.length) writeSync(fd, chunk, 0, Math.min(left, chunk.length));
  closeSync(fd);
  if (!fresh) utimesSync(path, tenDaysAgo, tenDaysAgo);
  for (let p = path; p.length >= base.length; p = dirname(p)) chownSync(p, uid, gid);
  return path;
}

async function decisions(ctx: PlansLab, action: string, host: LabHost, since: number, mountpoint?: string): Promise<AuditRecord[]> {
  return (await auditRecords(ctx.stack.api, action)).filter((r) => {
    const labels = (r.details?.labels ?? {}) as Record<string, string>;
    return Date.parse(r.at) >= since && r.target.runbookId === 'disk-full-remediation' && labels.instance === `${host.address}:9100` && (mountpoint === undefined || labels.mountpoint === mountpoint);
  });
}

const usedPercent = async (ctx: PlansLab, host: LabHost) =>
  (await ctx.lab.prometheus!.query(`100 - node_filesystem_avail_bytes{host="${host.name}"} / node_filesystem_size_bytes{host="${host.name}"} * 100`))[0]?.value ?? 0;

const stdoutOf = (output: unknown) => (output as { hosts: { stdout: string }[] }).hosts[0]!.stdout;

export function diskFullScenarios(suite: () => PlansLab): void {
  describe('disk-full-remediation', () => {
    it('app-1\'s data filesystem fills: the alert starts one run that deletes only old rotated logs in log folders, reports the bytes freed, and brings usage below the target; hostile twins of the alert are refused', async () => {
      const ctx = suite();
      const host = ctx.lab.host('app-1');
      const data = host.paths.data;
      const since = Date.now();
      const marker = join(ctx.lab.root, `hostile-disk-${randomUUID()}`);
      const outside = join(ctx.lab.root, 'outside-app-1');
      const kept = [
        file(ctx, data, join('log', 'shop-api.log'), 256 * 1024), // the live log: no rotated name
        file(ctx, data, join('log', 'shop-api.log.2'), 256 * 1024, true), // rotated, but yesterday's
        file(ctx, data, join('db', 'table.1'), 1 * MiB), // an old "rotated" name outside any log folder
        file(ctx, data, join('blob.bin'), 2 * MiB + 512 * 1024),
        file(ctx, outside, join('log', 'old.log.1.gz'), 4096), // outside the mount point entirely
        file(ctx, outside, join('secret.1'), 4096),
      ];
      // A link in a log folder to a file elsewhere, named like a rotated log: never followed.
      const link = join(data, 'log', 'elsewhere.1');
      symlinkSync(join(outside, 'secret.1'), link);
      // Another filesystem mounted inside a log folder: -xdev keeps the cleanup off it.
      const nested = join(data, 'log', 'nested');
      mkdirSync(nested);
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=1m,uid=${ctx.lab.user.uid},gid=${ctx.lab.user.gid}`, 'lab-nested', nested]);
      try {
        kept.push(file(ctx, nested, join('other.log.1'), 4096));
        // Twins of the host's exporter target labelled with hostile mount points (target labels
        // win over the exporter's own): scraped before the disk fills, so they fire with the real one.
        const hostile = [`${data}/../../..`, '/', `${data};touch ${marker}`, `${data}/log`, '/var/../..'];
        ctx.scrape('node', { extra: hostile.map((mountpoint) => ({ targets: [`${host.address}:9100`], labels: { host: host.name, mountpoint } })) });
        try {
          await eventually(() => ctx.lab.prometheus!.query(`node_filesystem_size_bytes{host="${host.name}"}`), (series) => series.length === hostile.length + 1, { what: 'Prometheus to scrape the hostile twins', attempts: 600 });
          const doomed = [
            file(ctx, data, join('log', 'shop-api.log.1'), 3 * MiB),
            file(ctx, data, join('log', 'nginx', 'access.log.2.gz'), 3 * MiB),
            file(ctx, data, join('shop', 'logs', 'worker.log.3.gz'), 3 * MiB),
            file(ctx, data, join('log', "it's a trap; rm -rf .4"), 2 * MiB),
          ];
          const [started] = await eventually(() => decisions(ctx, 'alert.started', host, since, data), (r) => r.length > 0, { what: 'NodeFilesystemAlmostFull to start a run', attempts: 1200 });
          const runId = started!.target.runId!;
          const done = await awaitRun(ctx.stack.api, runId, finished, 'the cleanup to end');
          const { state } = done;
          expect(state.status, JSON.stringify(state.error)).toBe('succeeded');
          expect(state.params).toMatchObject({ host: host.address, mountpoint: data, useSudo: false });
          const freed = stdoutOf(state.nodes['delete-old-logs']!.output).split('\n');
          expect(freed[0]).toBe(`freed ${11 * MiB} bytes in 4 files`);
          expect(freed.slice(1).filter(Boolean).sort()).toEqual([...doomed].sort());
          expect(stdoutOf(state.nodes['vacuum-journal']!.output)).toBe('no journald on this host: nothing to vacuum\n');
          const usage = Number(stdoutOf(state.nodes['check-usage']!.output).trim());
          expect(usage).toBeLessThan(85);
          expect(state.nodes['take-over']!.status).toBe('skipped');
          expect(ctx.oncall.bodies.map((b) => JSON.stringify(b.body))).toContainEqual(expect.stringContaining(`freed ${11 * MiB} bytes in 4 files; usage is now ${usage}%`));

          // On the host: exactly the doomed files went; everything else, the link's target and the nested filesystem's file included, is there.
          for (const path of doomed) expect(existsSync(path), path).toBe(false);
          for (const path of kept) expect(existsSync(path), path).toBe(true);
          expect(readFileSync(link).length).toBe(4096);

          // The hostile twins: each refused by the parameter rules; no run for any of them; nothing ran.
          for (const mountpoint of hostile) {
            const [refused] = await eventually(() => decisions(ctx, 'alert.refused', host, since, mountpoint), (r) => r.length > 0, { what: `the alert for ${mountpoint} refused`, attempts: 1200 });
            expect(refused!.details!.reason, mountpoint).toMatch(/^params\.mountpoint: (an absolute path without|must be one of allowedMountpoints)/);
          }
          expect(await decisions(ctx, 'alert.started', host, since)).toHaveLength(1);
          expect(existsSync(marker)).toBe(false);
          await eventually(() => decisions(ctx, 'alert.resolved', host, since, data), (r) => r.length > 0, { what: 'the alert to resolve', attempts: 1200 });
          ctx.figures.push(
            `disk-full-remediation (app-1): alert fired → cleanup done ${seconds(Date.parse(state.endedAt!) - Number(runId.slice(runId.lastIndexOf('-') + 1)))}; freed ${11 * MiB} bytes in 4 files, usage now ${usage}%; ${hostile.length} hostile twins refused`,
          );
        } finally {
          ctx.scrape('node');
        }
      } finally {
        execFileSync('umount', [nested]);
      }
    }, 300_000);

    it('app-2\'s data fills with a file no rule may delete: the run frees what it may, reports it and asks a person to take over, who says what they did', async () => {
      const ctx = suite();
      const host = ctx.lab.host('app-2');
      const data = host.paths.data;
      const since = Date.now();
      const rotated = file(ctx, data, join('log', 'shop-api.log.1'), 1 * MiB);
      const big = file(ctx, data, join('exports', 'orders.csv'), 14 * MiB);
      const [started] = await eventually(() => decisions(ctx, 'alert.started', host, since, data), (r) => r.length > 0, { what: 'NodeFilesystemAlmostFull to start a run', attempts: 1200 });
      const runId = started!.target.runId!;
      const waiting = await awaitRun(ctx.stack.api, runId, (r) => r.state.pendingCheckpoints.some((p) => p.nodeId === 'take-over'), 'the take-over checkpoint');
      expect(stdoutOf(waiting.state.nodes['delete-old-logs']!.output).split('\n')[0]).toBe(`freed ${MiB} bytes in 1 file`);
      const usage = Number(stdoutOf(waiting.state.nodes['check-usage']!.output).trim());
      expect(usage).toBeGreaterThanOrEqual(85);
      expect(existsSync(rotated)).toBe(false);
      expect(existsSync(big)).toBe(true);
      expect(ctx.oncall.bodies.map((b) => JSON.stringify(b.body))).toContainEqual(expect.stringContaining(`usage is now ${usage}% (target below 85%)`));

      // The on-call person moves the export away by hand; the alert resolves (the run records it and
      // keeps waiting), and they say what they did.
      expect((await host.exec(['rm', '--', big])).exitCode).toBe(0);
      await eventually(() => usedPercent(ctx, host), (used) => used < 50, { what: 'Prometheus to see the space back' });
      await awaitRun(ctx.stack.api, runId, (r) => r.state.alertResolved !== undefined, 'the resolution to reach the run');
      const approved = await runwright(ctx.stack.api, ['approve', runId, 'take-over', '--check', 'handled', '-a', 'cause=an orders export left on the data disk'], ctx.stack.api.tokens.approver);
      expect(approved, approved.stderr).toMatchObject({ code: 0 });
      const done = await awaitRun(ctx.stack.api, runId, finished, 'the run to end once the person took over');
      expect(done.state.status).toBe('succeeded');
      expect(done.state.alertResolved).toMatchObject({ endedWaiting: false });
      expect(done.state.nodes['take-over']!.output).toMatchObject({ outcome: 'approved', decisions: [{ by: 'approver', checklist: { handled: true, cause: 'an orders export left on the data disk' } }] });
    }, 300_000);
  });
}
