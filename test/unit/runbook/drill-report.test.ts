import { describe, expect, it } from 'vitest';
import {
  drillReport,
  drillReportHtml,
  drillReportMarkdown,
  drillReportSchema,
  validateRunbook,
  type DrillReportInput,
  type NodeState,
  type RunState,
} from '@runwright/runbook';

const loaded = validateRunbook({
  id: 'db-drill',
  title: 'Database drill',
  objectives: {
    rtoSeconds: 60,
    rpoSeconds: 5,
    recoveredAt: 'check-app',
    recoveryStartsAt: 'fail-over',
    dataLossSeconds: '{{ steps.`check-marker`.output.lossSeconds }}',
  },
  nodes: [
    { id: 'write-marker', kind: 'shell', title: 'Write the marker', config: { command: ['true'] } },
    { id: 'fail-over', kind: 'shell', title: 'Fail over', config: { command: ['true'] } },
    { id: 'check-app', kind: 'shell', title: 'The app answers', config: { command: ['true'] } },
    { id: 'check-marker', kind: 'shell', title: 'Marker survived', config: { command: ['true'] } },
    {
      id: 'sign-off',
      kind: 'checkpoint',
      title: 'Sign the drill off',
      config: { title: 'Sign off', checklist: [{ id: 'rto_ok', label: 'Recovery was fast enough', type: 'boolean' }, { id: 'notes', label: 'Notes', type: 'text', required: false }] },
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
if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
const runbook = loaded.runbook as DrillReportInput['runbook'];

const t = (seconds: number) => new Date(Date.UTC(2026, 10, 27, 3, 0, 0) + seconds * 1000).toISOString();
const done = (from: number, to: number, output: unknown = {}, extra: Partial<NodeState> = {}): NodeState => ({ status: 'succeeded', attempts: 1, startedAt: t(from), endedAt: t(to), output, ...extra });
const decision = { decision: 'approve' as const, by: 'alice', at: t(100), comment: 'smooth', checklist: { rto_ok: true, notes: 'none' } };

function state(nodes: Record<string, NodeState>, extra: Partial<RunState> = {}): RunState {
  return { runbookId: 'db-drill', planHash: loaded.ok ? loaded.planHash : '', status: 'succeeded', startedBy: 'schedule:weekly', startedAt: t(0), endedAt: t(101), params: {}, nodes, pendingCheckpoints: [], ...extra };
}

const passing = () => ({
  'write-marker': done(0, 1),
  'fail-over': done(2, 20),
  'check-app': done(20, 42),
  'check-marker': done(20, 21, { lossSeconds: 0 }),
  'sign-off': done(42, 100, { outcome: 'approved', decisions: [decision] }),
});

const report = (nodes: Record<string, NodeState>, extra: Partial<RunState> = {}, input: Partial<DrillReportInput> = {}) =>
  drillReport({ runId: 'run-1', runbook, state: state(nodes, extra), trigger: { type: 'schedule', by: 'schedule:weekly', scheduleId: 'runwright:db-drill:weekly' }, ...input });

describe('drill report', () => {
  it('passes a drill that recovered within both objectives, with a timeline and the checklist answers', async () => {
    const r = await report(passing());
    expect(drillReportSchema.parse(r)).toEqual(r);
    expect(r.verdict).toBe('passed');
    expect(r.measured).toEqual({ recoverySeconds: 40, dataLossSeconds: 0, recoveryStartedAt: t(2), recoveredAt: t(42) });
    expect(r.results).toEqual([
      { objective: 'rto', targetSeconds: 60, measuredSeconds: 40, met: true },
      { objective: 'rpo', targetSeconds: 5, measuredSeconds: 0, met: true },
    ]);
    expect(r.trigger).toEqual({ type: 'schedule', by: 'schedule:weekly', name: 'runwright:db-drill:weekly' });
    expect(r.deviations).toEqual([]);
    expect(r.timeline.map((e) => `${e.type}:${e.nodeId}`)).toEqual([
      'step:write-marker', 'step:fail-over', 'step:check-app', 'step:check-marker', 'step:sign-off', 'decision:sign-off',
    ]);
    expect(r.timeline.at(-1)).toMatchObject({
      by: 'alice',
      comment: 'smooth',
      checklist: [{ id: 'rto_ok', label: 'Recovery was fast enough', answer: true }, { id: 'notes', label: 'Notes', answer: 'none' }],
    });
  });

  it('fails a drill that recovered too slowly, naming the missed RTO and the retried step', async () => {
    const nodes = { ...passing(), 'check-app': done(20, 95, {}, { attempts: 3 }) };
    const r = await report(nodes);
    expect(r.verdict).toBe('failed');
    expect(r.results[0]).toEqual({ objective: 'rto', targetSeconds: 60, measuredSeconds: 93, met: false });
    expect(r.deviations).toEqual([
      { type: 'retried', nodeId: 'check-app', message: 'The app answers (check-app) took 3 attempts' },
      { type: 'objective-missed', message: 'RTO missed: 93 s measured against an objective of 60 s' },
    ]);
  });

  it('fails a drill that lost more data than the RPO allows (data loss read from a numeric string output)', async () => {
    const r = await report({ ...passing(), 'check-marker': done(20, 21, { lossSeconds: '12.5' }) });
    expect(r.verdict).toBe('failed');
    expect(r.measured.dataLossSeconds).toBe(12.5);
    expect(r.deviations).toEqual([{ type: 'objective-missed', message: 'RPO missed: 12.5 s measured against an objective of 5 s' }]);
  });

  it('measures from the run start when the runbook names no recovery start', async () => {
    const r = await drillReport({ runId: 'run-1', runbook: { ...runbook, objectives: { rtoSeconds: 60, recoveredAt: 'check-app' } }, state: state(passing()) });
    expect(r.measured.recoverySeconds).toBe(42);
    expect(r.results).toEqual([{ objective: 'rto', targetSeconds: 60, measuredSeconds: 42, met: true }]);
    expect(r.trigger).toEqual({ type: 'unknown' });
  });

  it('is incomplete while the run goes on, and when it ended before the service recovered', async () => {
    const { 'sign-off': _, ...running } = passing();
    const live = await report(
      { ...running, 'sign-off': { status: 'waiting', attempts: 1, startedAt: t(42) } },
      { status: 'waiting', endedAt: undefined, pendingCheckpoints: [{ nodeId: 'sign-off', title: 'Sign off', instructions: '', checklist: [], approvers: { roles: ['approver'], users: [] }, quorum: 2, fourEyes: false, since: t(42), approvals: [decision] }] },
    );
    expect(live.verdict).toBe('incomplete');
    expect(live.finishedAt).toBeUndefined();
    expect(live.deviations).toEqual([{ type: 'run-not-finished', message: 'the run is still waiting' }]);
    // A partial quorum is already on the record.
    expect(live.timeline.filter((e) => e.type === 'decision')).toHaveLength(1);

    const failed = await report(
      { 'write-marker': done(0, 1), 'fail-over': { status: 'failed', attempts: 2, startedAt: t(2), endedAt: t(30), error: { type: 'CommandFailed', message: 'exit 1' } } },
      { status: 'failed', error: { nodeId: 'fail-over', message: 'exit 1' } },
      { events: [{ id: 30, at: t(25), type: 'WorkflowExecutionUpdateAccepted', details: { update: 'decideCheckpoint', nodeId: 'fail-over', action: 'retry', by: 'bob' } }] },
    );
    expect(failed.verdict).toBe('incomplete');
    expect(failed.measured.recoverySeconds).toBeNull();
    expect(failed.results.map((r) => r.met)).toEqual([null, null]);
    expect(failed.deviations.map((d) => d.type)).toEqual(['run-failed', 'failed', 'retried', 'operator-action', 'not-measured', 'not-measured']);
    expect(failed.deviations).toContainEqual({ type: 'operator-action', nodeId: 'fail-over', message: `bob chose retry for fail-over at ${t(25)}` });
    expect(failed.deviations).toContainEqual({ type: 'not-measured', nodeId: 'check-app', message: 'recovery time not measured: check-app, which marks the service recovered, has not succeeded (not run)' });
  });

  it('never passes a rehearsal: a dry run recovered nothing', async () => {
    const r = await report(passing(), { dryRun: true });
    expect(r).toMatchObject({ dryRun: true, verdict: 'incomplete' });
    expect(r.deviations).toEqual([{ type: 'rehearsal', message: 'a dry run: actions were recorded, not run, so nothing was recovered' }]);
  });

  it('fails a recovered drill whose sign-off was rejected', async () => {
    const r = await report(
      { ...passing(), 'sign-off': done(42, 100, { outcome: 'rejected', decisions: [{ ...decision, decision: 'reject' }] }, { status: 'failed' }) },
      { status: 'failed', error: { nodeId: 'sign-off', message: 'rejected' } },
    );
    expect(r.verdict).toBe('failed');
    expect(r.deviations.map((d) => d.type)).toEqual(['run-failed', 'failed', 'checkpoint-rejected']);
  });

  it('renders Markdown and a self-contained HTML page with every untrusted value escaped', async () => {
    const evil = '<script>alert(1)</script>';
    const nasty = { ...runbook, title: `Drill ${evil}`, nodes: runbook.nodes.map((n) => (n.id === 'check-app' ? { ...n, title: `<img src=x onerror=alert(2)> | row` } : n)) };
    const r = await drillReport({
      runId: 'run-1',
      runbook: nasty,
      state: state({ ...passing(), 'sign-off': done(42, 100, { outcome: 'approved', decisions: [{ ...decision, by: '"><b>x', comment: `${evil}\n| injected | row |`, checklist: { notes: '<iframe>' } }] }) }),
    });
    const html = drillReportHtml(r);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<img|<iframe|"><b>/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt; | row');
    expect(html).not.toMatch(/<(link|script|img|iframe)\b|href=/i); // self-contained: nothing loaded from elsewhere
    const markdown = drillReportMarkdown(r);
    expect(markdown).toContain('**Verdict: PASSED**');
    expect(markdown).not.toMatch(/<script|<img|<iframe/i);
    expect(markdown).toContain('&lt;img src=x onerror=alert\\(2\\)&gt; \\| row');
    // The comment's newline and pipes stay inside their table cell.
    const decisionRow = markdown.split('\n').find((line) => line.includes('approve by'));
    expect(decisionRow).toContain('\\| injected \\| row \\|');
    expect(markdown.split('\n').filter((line) => line.includes('injected'))).toHaveLength(1);
    expect(markdown).toContain('| RTO | 60 s | 40 s | met |');
  });
});

describe('drill report of a schedule run with an override', () => {
  it('says the drill ran overridden, by whom and why, in every rendering', async () => {
    const override = { source: 'api' as const, by: 'alice', at: '2026-11-27T08:00:00Z', fields: ['every' as const, 'params' as const], reason: 'staging lab' };
    const r = await report(passing(), {}, { trigger: { type: 'schedule', by: 'schedule:weekly', scheduleId: 'runwright:db-drill:weekly', override } });
    const said = 'overridden (every, params) through the API by alice at 2026-11-27T08:00:00Z: staging lab';
    expect(r.trigger).toEqual({ type: 'schedule', by: 'schedule:weekly', name: 'runwright:db-drill:weekly', override: said });
    expect(drillReportMarkdown(r)).toContain(`- Trigger: schedule runwright:db-drill:weekly by schedule:weekly, ${said.replace(/[()]/g, '\\$&')}\n`);
    expect(drillReportHtml(r)).toContain(`<dt>Trigger</dt><dd>schedule runwright:db-drill:weekly by schedule:weekly, ${said}</dd>`);
    // Without one, nothing is said.
    expect(drillReportMarkdown(await report(passing()))).toContain('- Trigger: schedule runwright:db-drill:weekly by schedule:weekly\n');
  });
});
