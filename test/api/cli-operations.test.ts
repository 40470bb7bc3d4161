import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboxEntry, RunSummary, RunView } from '@runwright/runbook';
import { startApiStack, type ApiStack } from '../support/api-stack.js';
import { runwright } from '../support/cli.js';
import { poll } from '../support/eventually.js';
import { writeRunbookFile } from '../support/runbooks-folder.js';

const drillId = `cli-drill-${process.pid}`;
const scheduleId = `runwright:${drillId}:weekly`;

let stack: ApiStack;


const runOf = async (runId: string) => (await stack.api.call('GET', `/api/runs/${runId}`)).body as RunView;
const inbox = async () => (await stack.api.call('GET', '/api/checkpoints')).body.checkpoints as InboxEntry[];
const listRuns = async (query: string) => (await stack.api.call('GET', `/api/runs?${query}`)).body.runs as RunSummary[];

function writeRunbooks(rtoSeconds: number) {
  // Waits at a gate with a checklist: for the inbox, reject and cancel.
  writeRunbookFile(stack.folder, {
    id: 'cli-gate',
    title: 'CLI gate',
    nodes: [
      { id: 'prepare', kind: 'shell', config: { command: ['true'] } },
      {
        id: 'gate',
        kind: 'checkpoint',
        config: {
          title: 'Ready to switch traffic?',
          instructions: 'Look at the dashboards first.',
          checklist: [
            { id: 'dashboards', label: 'Dashboards are green' },
            { id: 'ticket', label: 'Change ticket', type: 'text' },
          ],
        },
      },
    ],
    edges: [{ from: 'prepare', to: 'gate' }],
  });
  // Fails once (until its marker exists) and asks a person what to do.
  const marker = join(stack.folder, 'flaky.marker');
  writeRunbookFile(stack.folder, {
    id: 'cli-ask',
    title: 'CLI ask',
    nodes: [
      {
        id: 'flaky',
        kind: 'shell',
        config: { command: ['sh', '-c', 'if [ -f "$M" ]; then echo recovered; else touch "$M"; echo dependency down >&2; exit 1; fi'], env: { M: marker } },
        retry: { maximumAttempts: 1 },
        onFailure: 'ask',
      },
      { id: 'after', kind: 'shell', config: { command: ['true'] } },
    ],
    edges: [{ from: 'flaky', to: 'after' }],
  });
  // Only previewed: parameters and a forEach in batches.
  writeRunbookFile(stack.folder, {
    id: 'cli-fleet',
    title: 'CLI fleet',
    parameters: { version: { type: 'string' }, hosts: { type: 'list', default: ['a'] } },
    nodes: [
      { id: 'rollout', kind: 'forEach', config: { items: 'params.hosts', batchSize: 2 } },
      { id: 'install', kind: 'shell', parent: 'rollout', config: { command: ['echo', 'install', '{{ params.version }}', '{{ item }}'] } },
    ],
  });
  // A small drill (as in drill-reports.test.ts): fail over in a second, the app answers, a lead signs off.
  writeRunbookFile(stack.folder, {
    id: drillId,
    title: 'CLI drill',
    triggers: { schedules: [{ name: 'weekly', cron: '0 3 1 1 *', overlap: 'skip', catchupWindow: '1m' }] },
    objectives: { rtoSeconds, rpoSeconds: 5, recoveredAt: 'check-app', recoveryStartsAt: 'fail-over', dataLossSeconds: '{{ $number($trim(steps.`check-marker`.output.stdout)) }}' },
    nodes: [
      { id: 'fail-over', kind: 'shell', config: { command: ['sleep', '1'] } },
      { id: 'check-app', kind: 'shell', config: { command: ['true'] } },
      { id: 'check-marker', kind: 'shell', config: { command: ['echo', '0'] } },
      { id: 'sign-off', kind: 'checkpoint', config: { title: 'Sign the drill off', checklist: [{ id: 'app_checked', label: 'Checked the app by hand', type: 'boolean' }] } },
    ],
    edges: [
      { from: 'fail-over', to: 'check-app' },
      { from: 'fail-over', to: 'check-marker' },
      { from: 'check-app', to: 'sign-off' },
      { from: 'check-marker', to: 'sign-off' },
    ],
  });
}

beforeAll(async () => {
  stack = await startApiStack({ runbooks: {} });
  writeRunbooks(300);
});

afterAll(async () => {
  await stack?.env.client.schedule.getHandle(scheduleId).delete().catch(() => undefined);
  await stack?.stop();
});

describe('runwright: bad arguments exit 2 and name what is wrong', () => {
  it('refuses bad options and arguments before calling the API, and relays the API refusals', async () => {
    const status = await runwright(stack.api, ['runs', '--status', 'sideways'], stack.api.tokens.viewer);
    expect(status.code).toBe(2);
    expect(status.stderr).toMatch(/--status <status>.*'sideways' is invalid\. choose one of Running, Completed, Failed, Canceled/);
    const limit = await runwright(stack.api, ['runs', '--limit', 'many'], stack.api.tokens.viewer);
    expect(limit.code).toBe(2);
    expect(limit.stderr).toMatch(/--limit <n>.*a whole number from 1 to 500/);
    const action = await runwright(stack.api, ['act', 'some-run', 'flaky', 'reboot'], stack.api.tokens.approver);
    expect(action.code).toBe(2);
    expect(action.stderr).toMatch(/'reboot' is invalid for argument 'action'\. choose one of retry, skip, rollback, abort/);
    const start = await runwright(stack.api, ['schedules', 'backfill', scheduleId, '--start', 'yesterday', '--end', '2026-01-01T00:00:00Z'], stack.api.tokens.operator);
    expect(start.code).toBe(2);
    expect(start.stderr).toMatch(/--start <time>.*'yesterday' is invalid\. an ISO 8601 time/);
    const backwards = await runwright(stack.api, ['schedules', 'backfill', scheduleId, '--start', '2025-02-02T00:00:00Z', '--end', '2025-02-01T00:00:00Z'], stack.api.tokens.operator);
    expect(backwards).toMatchObject({ code: 2, stderr: expect.stringMatching(/--end \(2025-02-01T00:00:00Z\) must be after --start/) });
    const format = await runwright(stack.api, ['report', 'some-run', '--format', 'pdf'], stack.api.tokens.viewer);
    expect(format).toMatchObject({ code: 2, stderr: expect.stringMatching(/choose one of text, json, markdown, html/) });
    expect((await runwright(stack.api, ['reject', 'some-run', 'gate'], stack.api.tokens.approver)).stderr).toMatch(/a rejection needs a reason: --comment/);

    const missing = await runwright(stack.api, ['cancel', 'no-such-run'], stack.api.tokens.operator);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^runwright: not_found \(HTTP 404\)/);
    const unknownRunbook = await runwright(stack.api, ['plan', 'no-such-runbook'], stack.api.tokens.viewer);
    expect(unknownRunbook).toMatchObject({ code: 2, stderr: expect.stringMatching(/not_found \(HTTP 404\)/) });
    expect((await runwright(stack.api, ['runs'])).stderr).toMatch(/RUNWRIGHT_TOKEN/);
  });
});

describe('runwright: runs, inbox, reject, cancel, act', () => {
  it('lists pending checkpoints with their checklists, rejects one, cancels another, and filters the runs list', async () => {
    const plan = await runwright(stack.api, ['plan', 'cli-gate'], stack.api.tokens.viewer);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/stage 1\n {2}yes {3}prepare \(shell\)\nstage 2\n {2}yes {3}gate \(checkpoint\)/);
    expect(plan.stdout).toContain('checkpoint gate: Ready to switch traffic?');
    const fleet = await runwright(stack.api, ['plan', 'cli-fleet', '-p', 'version=1.2', '-j', 'hosts=["h1","h2","h3"]'], stack.api.tokens.viewer);
    expect(fleet.code).toBe(0);
    expect(fleet.stdout).toContain('parameters:\n  version = 1.2\n  hosts = ["h1","h2","h3"]\n');
    expect(fleet.stdout).toMatch(/yes {3}rollout \(forEach\)\n +for each of 3 item\(s\): h1, h2, h3 in 2 batch\(es\)\n +batches: 1: h1, h2 \| 2: h3\n +stage 1\n +yes {3}install \(shell\) \[decided at run time: command\.3\]/);
    const noVersion = await runwright(stack.api, ['plan', 'cli-fleet'], stack.api.tokens.viewer);
    expect(noVersion).toMatchObject({ code: 2, stderr: expect.stringMatching(/validation_error \(HTTP 400\).*\n {2}body\.params\.version: /) });

    const first = await runwright(stack.api, ['run', 'cli-gate'], stack.api.tokens.operator);
    const second = await runwright(stack.api, ['run', 'cli-gate'], stack.api.tokens.operator);
    expect([first.code, second.code]).toEqual([0, 0]);
    const [rejected, cancelled] = [first.stdout.trim(), second.stdout.trim()];
    await poll('both gates', async () => ((await inbox()).filter((c) => c.runbookId === 'cli-gate').length === 2 ? true : undefined));

    const listed = await runwright(stack.api, ['inbox', '--runbook', 'cli-gate'], stack.api.tokens.viewer);
    expect(listed.code).toBe(0);
    for (const runId of [rejected, cancelled]) {
      expect(listed.stdout).toContain(`${runId}  gate  — Ready to switch traffic?`);
      expect(listed.stdout).toContain(`approve: runwright approve ${runId} gate -c dashboards -a ticket=…`);
    }
    expect(listed.stdout).toContain('  | Look at the dashboards first.');
    expect(listed.stdout).toContain('  [required] dashboards: Dashboards are green');
    expect(listed.stdout).toContain('  [required] ticket: Change ticket (text)');
    expect(listed.stdout).toContain('who: role approver, role admin');
    const json = JSON.parse((await runwright(stack.api, ['inbox', '--json'], stack.api.tokens.viewer)).stdout);
    expect(json.checkpoints.filter((c: InboxEntry) => c.runbookId === 'cli-gate').map((c: InboxEntry) => c.runId).sort()).toEqual([rejected, cancelled].sort());

    const byOperator = await runwright(stack.api, ['reject', rejected, 'gate', '--comment', 'not tonight'], stack.api.tokens.operator);
    expect(byOperator.code).toBe(2);
    expect(byOperator.stderr).toMatch(/forbidden \(HTTP 403\): operator \(operator\) may not approve or reject/);
    const reject = await runwright(stack.api, ['reject', rejected, 'gate', '--comment', 'not tonight'], stack.api.tokens.approver);
    expect(reject).toMatchObject({ code: 0, stdout: 'gate: rejected by approver\n' });

    expect((await runwright(stack.api, ['cancel', cancelled], stack.api.tokens.viewer)).stderr).toMatch(/forbidden \(HTTP 403\)/);
    const cancel = await runwright(stack.api, ['cancel', cancelled, '--reason', 'wrong window'], stack.api.tokens.operator);
    expect(cancel.code).toBe(0);
    expect(cancel.stdout).toContain(`${cancelled}: cancellation requested`);
    const audit = (await stack.api.call('GET', '/api/audit?action=cancelRun')).body.records as { actor: { user: string }; target: { runId?: string }; outcome: string }[];
    expect(audit.filter((r) => r.target.runId === cancelled && r.outcome === 'ok').map((r) => r.actor.user)).toEqual(['operator']);

    // Visibility catches up shortly after the runs close.
    await poll('both runs closed in visibility', async () => ((await listRuns('runbookId=cli-gate')).every((r) => r.status !== 'Running') ? true : undefined));
    const table = await runwright(stack.api, ['runs', '--runbook', 'cli-gate'], stack.api.tokens.viewer);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^RUN\s+RUNBOOK\s+STATUS\s+TRIGGER\s+STARTED\s+CLOSED\n/);
    expect(table.stdout).toMatch(new RegExp(`${cancelled}\\s+cli-gate\\s+Canceled\\s+manual\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ`));
    expect(table.stdout).toContain(rejected);
    // People type statuses in lower case; the filter takes them.
    const onlyCancelled = JSON.parse((await runwright(stack.api, ['runs', '--runbook', 'cli-gate', '--status', 'canceled', '--json'], stack.api.tokens.viewer)).stdout);
    expect(onlyCancelled.map((r: RunSummary) => r.runId)).toEqual([cancelled]);
    const none = await runwright(stack.api, ['runs', '--runbook', 'cli-gate', '--trigger', 'alert'], stack.api.tokens.viewer);
    expect(none).toMatchObject({ code: 0, stdout: '', stderr: 'no runs match\n' });
    const limited = JSON.parse((await runwright(stack.api, ['runs', '--runbook', 'cli-gate', '-n', '1', '--json'], stack.api.tokens.viewer)).stdout);
    expect(limited).toHaveLength(1);

    const again = await runwright(stack.api, ['cancel', cancelled], stack.api.tokens.operator);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/conflict \(HTTP 409\)/);
  });

  it('chooses an action for a failed node that asks, and points approve at it', async () => {
    const started = await runwright(stack.api, ['run', 'cli-ask'], stack.api.tokens.operator);
    const runId = started.stdout.trim();
    await poll('the failure checkpoint', async () => ((await runOf(runId)).state?.pendingCheckpoints.length ? true : undefined));

    const listed = await runwright(stack.api, ['inbox', '--runbook', 'cli-ask'], stack.api.tokens.viewer);
    expect(listed.stdout).toMatch(/failed: .*dependency down/);
    // Nothing before it has a rollback, so rolling back is not offered.
    expect(listed.stdout).toContain(`choose: runwright act ${runId} flaky retry|skip|abort`);
    expect((await runwright(stack.api, ['status', runId], stack.api.tokens.viewer)).stdout).toContain(`choose with: runwright act ${runId} flaky retry|skip|abort`);

    const approve = await runwright(stack.api, ['approve', runId, 'flaky'], stack.api.tokens.approver);
    expect(approve.code).toBe(2);
    expect(approve.stderr).toContain(`"flaky" failed and waits for an action: runwright act ${runId} flaky retry|skip|abort`);
    const act = await runwright(stack.api, ['act', runId, 'flaky', 'RETRY', '-m', 'dependency is back'], stack.api.tokens.approver);
    expect(act).toMatchObject({ code: 0, stdout: 'flaky: retry chosen by approver\n' });
    const done = await poll('the retried run', async () => {
      const run = await runOf(runId);
      return run.temporalStatus !== 'RUNNING' ? run : undefined;
    });
    expect(done.state.status).toBe('succeeded');
    expect(done.state.nodes.flaky).toMatchObject({ status: 'succeeded', retries: 1 });
  });
});

describe('runwright: schedules, drill reports and the drill history', () => {
  let passed = '';
  let failed = '';

  it('lists, pauses and unpauses the schedule, backfills an empty window, and triggers a drill now', async () => {
    expect((await stack.api.call('POST', '/api/schedules/sync')).body).toMatchObject({ created: [scheduleId], problems: [] });
    const list = await runwright(stack.api, ['schedules'], stack.api.tokens.viewer);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^SCHEDULE\s+STATE\s+WHEN\s+OVERLAP\s+NEXT\s+LAST RUN\s+OVERRIDDEN\s+NOTE\n/);
    expect(list.stdout).toMatch(new RegExp(`${scheduleId}\\s+active\\s+0 3 1 1 \\*`));

    // The runwright: prefix may be left out.
    const pause = await runwright(stack.api, ['schedules', 'pause', `${drillId}:weekly`, '--note', 'change freeze'], stack.api.tokens.operator);
    expect(pause).toMatchObject({ code: 0, stdout: `${scheduleId}: paused (note: paused by operator: change freeze)\n` });
    expect((await runwright(stack.api, ['schedules', 'list'], stack.api.tokens.viewer)).stdout).toMatch(new RegExp(`${scheduleId}\\s+paused\\s.*\\s+paused by operator: change freeze\\n`));
    expect((await runwright(stack.api, ['schedules', 'pause', scheduleId], stack.api.tokens.viewer)).stderr).toMatch(/forbidden \(HTTP 403\)/);
    const unpause = await runwright(stack.api, ['schedules', 'unpause', scheduleId, '--json'], stack.api.tokens.operator);
    expect(JSON.parse(unpause.stdout)).toMatchObject({ scheduleId, paused: false });

    // Early February holds none of this schedule's times (January 1st, 03:00).
    const year = new Date().getUTCFullYear() - 1;
    const backfill = await runwright(stack.api, ['schedules', 'backfill', scheduleId, '--start', `${year}-02-01T00:00:00Z`, '--end', `${year}-02-02T00:00:00Z`, '--overlap', 'allow-all'], stack.api.tokens.operator);
    expect(backfill).toMatchObject({ code: 0, stdout: expect.stringContaining(`${scheduleId}: 0 scheduled time(s)`) });
    expect(backfill.stdout).toContain('(overlap ALLOW_ALL)');
    const unknown = await runwright(stack.api, ['schedules', 'trigger', `runwright:${drillId}:daily`], stack.api.tokens.operator);
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringMatching(/not_found \(HTTP 404\)/) });

    const trigger = await runwright(stack.api, ['schedules', 'trigger', scheduleId], stack.api.tokens.operator);
    expect(trigger).toMatchObject({ code: 0, stdout: expect.stringContaining(`${scheduleId}: triggered`) });
    passed = await poll('the scheduled drill', async () => (await listRuns(`runbookId=${drillId}&trigger=schedule`))[0]?.runId);
    await poll('the sign-off', async () => ((await runOf(passed)).state?.pendingCheckpoints.length ? true : undefined));
  });

  it('reports a drill: exit 3 while it has no verdict, 0 once it passed, 1 when it failed; in every format', async () => {
    const live = await runwright(stack.api, ['report', passed], stack.api.tokens.viewer);
    expect(live).toMatchObject({ code: 3 });
    expect(live.stdout).toMatch(new RegExp(`^drill ${passed}: INCOMPLETE\\n`));
    expect(live.stderr).toContain('no verdict yet: the run is still waiting');

    // A yes/no checklist item answered in words reaches the API as a boolean.
    const signed = await runwright(stack.api, ['approve', passed, 'sign-off', '-a', 'app_checked=yes', '-m', 'fine'], stack.api.tokens.approver);
    expect(signed).toMatchObject({ code: 0, stdout: 'sign-off: approved by approver\n' });
    const gate = await runwright(stack.api, ['report', '--wait', passed], stack.api.tokens.viewer);
    expect(gate.code).toBe(0);
    expect(gate.stdout).toMatch(new RegExp(`^drill ${passed}: PASSED\\nrunbook ${drillId} "CLI drill", schedule ${scheduleId} by schedule:weekly\\n`));
    expect(gate.stdout).toMatch(/ {2}RTO: [\d.]+ s measured, objective 300 s — met\n {2}RPO: 0 s measured, objective 5 s — met\n/);
    console.info(`cli drill ${passed}: ${gate.stdout.match(/RTO: ([\d.]+ s)/)?.[1]} recovery`);

    // The same runbook with an objective the fail-over alone misses; started by hand.
    writeRunbooks(0.5);
    const started = await runwright(stack.api, ['run', drillId], stack.api.tokens.operator);
    failed = started.stdout.trim();
    await poll('the second sign-off', async () => ((await runOf(failed)).state?.pendingCheckpoints.length ? true : undefined));
    expect((await runwright(stack.api, ['approve', failed, 'sign-off', '-a', 'app_checked=true'], stack.api.tokens.approver)).code).toBe(0);
    await poll('the failed drill to close', async () => ((await runOf(failed)).temporalStatus !== 'RUNNING' ? true : undefined));

    const json = await runwright(stack.api, ['report', failed, '--json'], stack.api.tokens.viewer);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ runId: failed, verdict: 'failed', results: [{ objective: 'rto', targetSeconds: 0.5, met: false }, { objective: 'rpo', met: true }] });
    const text = await runwright(stack.api, ['report', failed], stack.api.tokens.viewer);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/RTO: [\d.]+ s measured, objective 0\.5 s — MISSED/);
    expect(text.stdout).toMatch(/deviation \(objective-missed\): RTO missed/);

    const markdownFile = join(stack.folder, 'report.md');
    const markdown = await runwright(stack.api, ['report', failed, '--format', 'markdown', '--output', markdownFile], stack.api.tokens.viewer);
    expect(markdown).toMatchObject({ code: 1, stdout: `drill ${failed}: FAILED — markdown report written to ${markdownFile}\n` });
    expect(readFileSync(markdownFile, 'utf8')).toContain('**Verdict: FAILED**');
    const html = await runwright(stack.api, ['report', passed, '-f', 'html'], stack.api.tokens.viewer);
    expect(html.code).toBe(0);
    expect(html.stdout).toContain('<span class="verdict passed">PASSED</span>');

    const plain = await runwright(stack.api, ['run', 'cli-gate'], stack.api.tokens.operator);
    const notADrill = await runwright(stack.api, ['report', plain.stdout.trim()], stack.api.tokens.viewer);
    expect(notADrill).toMatchObject({ code: 2, stderr: expect.stringMatching(/not_a_drill \(HTTP 409\)/) });
  });

  it('lists the drill history newest first, with recovery and data loss against the objectives', async () => {
    const history = await runwright(stack.api, ['drills', drillId], stack.api.tokens.viewer);
    expect(history.code).toBe(0);
    const lines = history.stdout.trim().split('\n');
    expect(lines[0]).toBe(`${drillId} objectives: RTO 0.5 s, RPO 5 s (recovered at check-app); verdicts are against the objectives each drill ran with`);
    expect(lines[1]).toMatch(/^STARTED\s+RUN\s+TRIGGER\s+STATUS\s+RECOVERY \(RTO 0\.5 s\)\s+DATA LOSS \(RPO 5 s\)\s+VERDICT$/);
    // The first drill passed against the 300 s objective it ran with.
    expect(lines[2]).toMatch(new RegExp(`${failed}\\s+manual\\s+succeeded\\s+[\\d.]+ s\\s+0 s\\s+failed$`));
    expect(lines[3]).toMatch(new RegExp(`${passed}\\s+schedule\\s+succeeded\\s+[\\d.]+ s\\s+0 s\\s+passed$`));
    const json = JSON.parse((await runwright(stack.api, ['drills', drillId, '--json', '-n', '1'], stack.api.tokens.viewer)).stdout);
    expect(json.drills.map((d: { runId: string }) => d.runId)).toEqual([failed]);
  });
});
