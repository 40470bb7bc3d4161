import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runwright } from '../../support/cli.js';
import { startPlansLab, type PlansLab } from './plans-lab.js';
import { awaitRun, driveTraffic, finished, seconds, servedVersion, watchVersions } from './scenario-helpers.js';
import { releaseParams } from './staged-release.js';

// `npm run test:soak`: staged-release with minute-long soaks and a realistic error-rate window,
// round after round (RUNWRIGHT_SOAK_ROUNDS, 3 by default): a good release that goes out under
// steady traffic, then a bad one whose canary is rolled back. Prints each round's figures.

const rounds = Number(process.env.RUNWRIGHT_SOAK_ROUNDS ?? 3);
const timing = { errorRateWindow: '1m', canarySoak: '2m', batchSoak: '1m', frontCheck: '30s' };
let suite: PlansLab;

beforeAll(async () => {
  suite = await startPlansLab();
});

afterAll(async () => {
  await suite?.stop();
});

async function release(version: string): Promise<{ runId: string; status: string; ms: number }> {
  const params = releaseParams(suite, version, timing);
  const args = ['run', 'staged-release', '-j', `hosts=${JSON.stringify(params.hosts)}`, '-j', 'useSudo=false'];
  for (const [name, value] of Object.entries(params)) if (typeof value === 'string') args.push('-p', `${name}=${value}`);
  const started = Date.now();
  const cli = await runwright(suite.stack.api, args, suite.shopTeamToken);
  expect(cli, cli.stderr).toMatchObject({ code: 0 });
  const runId = cli.stdout.trim();
  for (;;) {
    const run = await awaitRun(suite.stack.api, runId, (r) => finished(r) || r.state.pendingCheckpoints.some((p) => p.nodeId === 'rollout.canary'), 'the canary inspection or the end', 30);
    if (finished(run)) return { runId, status: run.state.status, ms: Date.now() - started };
    await runwright(suite.stack.api, ['approve', runId, 'rollout.canary', '--check', 'dashboards', '--check', 'logs'], suite.stack.api.tokens.approver);
  }
}

describe('staged-release, soaked', () => {
  it(`goes out and rolls back ${rounds} times with minute-long soaks under steady traffic`, async () => {
    const traffic = driveTraffic(suite.nginx.url, 50);
    const versions = watchVersions(suite.apps);
    try {
      for (let round = 1; round <= rounds; round++) {
        const good = `${round}.5.0`;
        suite.lab.buildRelease(good);
        const out = await release(good);
        expect(out.status).toBe('succeeded');
        for (const host of suite.apps) expect(await servedVersion(host.appUrl)).toBe(good);
        suite.lab.buildRelease(`${round}.5.1`, { kind: 'errors', afterSeconds: 20, ratio: 0.2 });
        const bad = await release(`${round}.5.1`);
        expect(bad.status).toBe('failed');
        const run = (await suite.stack.api.call('GET', `/api/runs/${bad.runId}`)).body;
        const tripped = Date.parse(run.state.nodes.rollout.progress.gates[0].endedAt);
        const back = versions.servedAfter(suite.apps[0]!, good, tripped)!;
        expect(suite.apps.slice(1).map((h) => h.currentRelease())).toEqual([good, good, good]);
        suite.figures.push(`round ${round}: ${good} out in ${seconds(out.ms)}; ${round}.5.1 tripped after ${seconds(tripped - Date.parse(run.state.startedAt))}, canary back on ${good} ${seconds(back - tripped)} later`);
      }
    } finally {
      const counts = await traffic.stop();
      await versions.stop();
      suite.figures.push(`traffic through nginx: ${[...counts].map(([k, v]) => `${k}: ${v}`).join(', ')}`);
    }
  });
});
