import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drillReportSchema, type DrillReport, type RunView } from '@runwright/runbook';
import { startApiStack, type ApiStack } from '../support/api-stack.js';
import { poll } from '../support/eventually.js';
import { writeRunbookFile } from '../support/runbooks-folder.js';

const runbookId = `report-drill-${process.pid}`;
const scheduleId = `runwright:${runbookId}:weekly`;
const evil = '<script>alert("drill")</script>';

let stack: ApiStack;

/** A small drill: fail over (a 1 s sleep), the app answers, the marker survived, a lead signs the report off. */
function writeDrill(rtoSeconds: number) {
  writeRunbookFile(stack.folder, {
    id: runbookId,
    title: 'Report drill',
    triggers: { schedules: [{ name: 'weekly', cron: '0 3 1 1 *', overlap: 'skip', catchupWindow: '1m' }] },
    objectives: {
      rtoSeconds,
      rpoSeconds: 5,
      recoveredAt: 'check-app',
      recoveryStartsAt: 'fail-over',
      dataLossSeconds: '{{ $number($trim(steps.`check-marker`.output.stdout)) }}',
    },
    nodes: [
      { id: 'write-marker', kind: 'shell', title: 'Write the marker', config: { command: ['date', '-u', '+%s'] } },
      { id: 'fail-over', kind: 'shell', title: 'Fail over', config: { command: ['sleep', '1'] } },
      { id: 'check-app', kind: 'shell', title: `The app answers ${evil}`, config: { command: ['sleep', '0.2'] } },
      // The seconds between the marker and the newest write the standby kept: none lost.
      { id: 'check-marker', kind: 'shell', title: 'Marker survived', config: { command: ['echo', '0'] } },
      {
        id: 'sign-off',
        kind: 'checkpoint',
        title: 'Drill sign-off',
        config: {
          title: 'Sign the drill off',
          checklist: [
            { id: 'app_checked', label: 'Checked the shop by hand', type: 'boolean' },
            { id: 'follow_ups', label: 'Follow-up tickets', type: 'text', required: false },
          ],
        },
      },
    ],
    edges: [
      { from: 'write-marker', to: 'fail-over' },
      { from: 'fail-over', to: 'check-app' },
      { from: 'fail-over', to: 'check-marker' },
      { from: 'check-app', to: 'sign-off' },
      { from: 'check-marker', to: 'sign-off' },
    ],
  });
}


async function scheduledRunsNow(): Promise<string[]> {
  return (await stack.api.call('GET', `/api/runs?runbookId=${runbookId}&trigger=schedule`)).body.runs.map((r: { runId: string }) => r.runId);
}

/** Triggers the schedule through the API, signs the drill off when it waits, and returns the finished run's id. */
async function runDrill(comment: string): Promise<string> {
  const before = await scheduledRunsNow();
  expect((await stack.api.call('POST', `/api/schedules/${encodeURIComponent(scheduleId)}/trigger`, undefined, stack.api.tokens.operator)).status).toBe(202);
  const runId = await poll('the scheduled run', async () => (await scheduledRunsNow()).find((id) => !before.includes(id)));
  const waiting = await poll('the sign-off', async () => {
    const { body } = await stack.api.call('GET', `/api/runs/${runId}`);
    return (body as RunView).state?.pendingCheckpoints.length ? (body as RunView) : undefined;
  });
  // While it waits for the sign-off the report is live: recovered already, but not a verdict yet.
  const live = drillReportSchema.parse((await stack.api.call('GET', `/api/runs/${runId}/report`, undefined, stack.api.tokens.viewer)).body);
  expect(live).toMatchObject({ status: 'waiting', verdict: 'incomplete' });
  expect(live.deviations[0]).toEqual({ type: 'run-not-finished', message: 'the run is still waiting' });
  expect(live.measured.recoverySeconds).toEqual(expect.any(Number));
  const decided = await stack.api.call(
    'POST',
    `/api/runs/${runId}/checkpoints/sign-off/decision`,
    { decision: 'approve', planHash: waiting.state.planHash, comment, checklist: { app_checked: true, follow_ups: 'OPS-1 <b>faster DNS</b>' } },
    stack.api.tokens.approver,
  );
  expect(decided.status).toBe(200);
  await poll('the end of the run', async () => {
    const { body } = await stack.api.call('GET', `/api/runs/${runId}`);
    return (body as RunView).state?.status === 'succeeded' ? true : undefined;
  });
  return runId;
}

beforeAll(async () => {
  stack = await startApiStack({ runbooks: {} });
  writeRunbookFile(stack.folder, { id: 'plain', title: 'Not a drill', nodes: [{ id: 'only', kind: 'shell', config: { command: ['true'] } }] });
});

afterAll(async () => {
  await stack?.env.client.schedule.getHandle(scheduleId).delete().catch(() => undefined);
  await stack?.stop();
});

describe('drill reports', () => {
  let passedRun = '';
  let failedRun = '';

  it('reports a scheduled drill triggered now: recovery measured, objectives met, checklist answers in the timeline', async () => {
    writeDrill(300);
    expect((await stack.api.call('POST', '/api/schedules/sync')).body).toMatchObject({ created: [scheduleId], problems: [] });
    passedRun = await runDrill(`all fine ${evil}`);

    const { status, body } = await stack.api.call('GET', `/api/runs/${passedRun}/report`, undefined, stack.api.tokens.viewer);
    expect(status).toBe(200);
    const report: DrillReport = drillReportSchema.parse(body);
    console.info(`drill report ${passedRun}: recovery ${report.measured.recoverySeconds} s, data loss ${report.measured.dataLossSeconds} s`);
    expect(report).toMatchObject({ runbookId, status: 'succeeded', dryRun: false, verdict: 'passed', trigger: { type: 'schedule', name: scheduleId }, deviations: [] });
    expect(report.measured.recoverySeconds).toBeGreaterThanOrEqual(1); // fail-over sleeps a second before the app answers
    expect(report.measured.dataLossSeconds).toBe(0);
    expect(report.results).toEqual([
      { objective: 'rto', targetSeconds: 300, measuredSeconds: report.measured.recoverySeconds, met: true },
      { objective: 'rpo', targetSeconds: 5, measuredSeconds: 0, met: true },
    ]);
    expect(report.timeline.filter((e) => e.type === 'step').map((e) => e.nodeId)).toEqual(
      expect.arrayContaining(['write-marker', 'fail-over', 'check-app', 'check-marker', 'sign-off']),
    );
    expect(report.timeline.find((e) => e.type === 'decision')).toMatchObject({
      nodeId: 'sign-off',
      decision: 'approve',
      by: 'approver',
      comment: `all fine ${evil}`,
      checklist: [
        { id: 'app_checked', label: 'Checked the shop by hand', answer: true },
        { id: 'follow_ups', label: 'Follow-up tickets', answer: 'OPS-1 <b>faster DNS</b>' },
      ],
    });
    // Closed runs are cached under the API's data folder (the live read above was not): the second read is the same report.
    expect(readdirSync(join(stack.api.dataDir, 'api', 'reports')).filter((f) => f.endsWith('.json'))).toHaveLength(1);
    expect((await stack.api.call('GET', `/api/runs/${passedRun}/report`)).body).toEqual(body);
  });

  it('fails a drill against the objectives it started with, naming the missed one', async () => {
    writeDrill(0.5); // the fail-over alone sleeps longer than this
    expect((await stack.api.call('POST', '/api/schedules/sync')).body).toMatchObject({ updated: [scheduleId], problems: [] });
    failedRun = await runDrill('slow');
    const report: DrillReport = drillReportSchema.parse((await stack.api.call('GET', `/api/runs/${failedRun}/report`)).body);
    expect(report.verdict).toBe('failed');
    expect(report.results[0]).toMatchObject({ objective: 'rto', targetSeconds: 0.5, met: false });
    expect(report.deviations).toEqual([{ type: 'objective-missed', message: `RTO missed: ${report.measured.recoverySeconds} s measured against an objective of 0.5 s` }]);
    // The first drill is still judged by the objectives it ran with.
    expect((await stack.api.call('GET', `/api/runs/${passedRun}/report`)).body.verdict).toBe('passed');
  });

  it('serves the report as escaped Markdown and HTML', async () => {
    const markdown = await fetch(`${stack.api.url}/api/runs/${failedRun}/report.md`, { headers: { authorization: `Bearer ${stack.api.tokens.viewer}` } });
    expect(markdown.status).toBe(200);
    expect(markdown.headers.get('content-type')).toMatch(/^text\/markdown/);
    const md = await markdown.text();
    expect(md).toContain('**Verdict: FAILED**');
    expect(md).toContain('RTO missed');

    const page = await fetch(`${stack.api.url}/api/runs/${passedRun}/report.html`, { headers: { authorization: `Bearer ${stack.api.tokens.viewer}` } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('<span class="verdict passed">PASSED</span>');
    expect(html).not.toMatch(/<script|<b>faster/);
    expect(html).toContain('The app answers &lt;script&gt;alert(&quot;drill&quot;)&lt;/script&gt;');
    expect(html).toContain('OPS-1 &lt;b&gt;faster DNS&lt;/b&gt;');
    expect(md).not.toMatch(/<script|<b>/);
  });

  it('says in the OpenAPI document which answers are Markdown and HTML', async () => {
    const { body } = await stack.api.call('GET', '/api/openapi.json');
    const ok = (path: string) => Object.keys(body.paths[path].get.responses['200'].content);
    expect(ok('/api/runs/{runId}/report')).toEqual(['application/json']);
    expect(ok('/api/runs/{runId}/report.md')).toEqual(['text/markdown; charset=utf-8']);
    expect(ok('/api/runs/{runId}/report.html')).toEqual(['text/html; charset=utf-8']);
    expect(Object.keys(body.paths['/api/runbooks/{runbookId}/drills'].get.responses['409'].content)).toEqual(['application/json']);
    // Their errors are still JSON.
    expect(Object.keys(body.paths['/api/runs/{runId}/report.html'].get.responses['404'].content)).toEqual(['application/json']);
  });

  it('lists the runbook drills newest first, with the figures for a trend', async () => {
    const { status, body } = await stack.api.call('GET', `/api/runbooks/${runbookId}/drills`, undefined, stack.api.tokens.viewer);
    expect(status).toBe(200);
    expect(body.objectives).toMatchObject({ rtoSeconds: 0.5, recoveredAt: 'check-app' });
    expect(body.drills.map((d: { runId: string; verdict: string }) => [d.runId, d.verdict])).toEqual([
      [failedRun, 'failed'],
      [passedRun, 'passed'],
    ]);
    expect(body.drills[1]).toMatchObject({ status: 'succeeded', trigger: { type: 'schedule' }, dataLossSeconds: 0, recoverySeconds: expect.any(Number) });
  });

  it('reports a drill cancelled at its sign-off as failed, with the cancellation among the deviations', async () => {
    const started = await stack.api.call('POST', `/api/runbooks/${runbookId}/runs`, { params: {} });
    expect(started.status).toBe(201);
    const { runId } = started.body;
    await poll('the sign-off', async () => ((await stack.api.call('GET', `/api/runs/${runId}`)).body as RunView).state?.pendingCheckpoints.length ? true : undefined);
    expect((await stack.api.call('POST', `/api/runs/${runId}/cancel`, { reason: 'drill called off' })).status).toBe(202);
    const report = await poll('the cancelled report', async () => {
      const { body } = await stack.api.call('GET', `/api/runs/${runId}/report`);
      return body.status === 'cancelled' ? drillReportSchema.parse(body) : undefined;
    });
    expect(report).toMatchObject({ verdict: 'failed', trigger: { type: 'manual', by: 'bootstrap' } });
    expect(report.deviations.map((d) => d.type)).toEqual(expect.arrayContaining(['run-failed', 'operator-action']));
    expect(report.deviations.find((d) => d.type === 'operator-action')?.message).toMatch(/^cancellation requested at /);
  });

  it('answers 404 for an unknown run and 409 not_a_drill for runs and runbooks without objectives', async () => {
    expect(await stack.api.call('GET', '/api/runs/no-such-run/report')).toMatchObject({ status: 404, body: { error: 'not_found' } });
    expect(await stack.api.call('GET', '/api/runs/no-such-run/report.html')).toMatchObject({ status: 404, body: { error: 'not_found' } });
    expect(await stack.api.call('GET', '/api/runbooks/no-such-runbook/drills')).toMatchObject({ status: 404, body: { error: 'not_found' } });
    expect(await stack.api.call('GET', '/api/runbooks/plain/drills')).toMatchObject({ status: 409, body: { error: 'not_a_drill' } });
    const started = await stack.api.call('POST', '/api/runbooks/plain/runs', { params: {} });
    expect(started.status).toBe(201);
    expect(await stack.api.call('GET', `/api/runs/${started.body.runId}/report.md`)).toMatchObject({ status: 409, body: { error: 'not_a_drill' } });
  });
});
