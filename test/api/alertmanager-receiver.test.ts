import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSummarySchema, type AlertDecision, type RunEvent } from '@runwright/runbook';
import { startApiStack, type ApiStack } from '../support/api-stack.js';
import { eventually } from '../support/eventually.js';
import { writeRunbookFile, type RunbookDocument } from '../support/runbooks-folder.js';

let stack: ApiStack;
let receiverToken: string;
const started = new Set<string>();

/** A remediation that records the alert's instance label through a shell step, then waits for a person. */
function remediation(id: string, route: Record<string, unknown>, alertLimits?: Record<string, unknown>) {
  return {
    id,
    title: `Remediate ${id}`,
    parameters: { host: { type: 'string' }, summary: { type: 'string', default: '' } },
    triggers: { alerts: [route], ...(alertLimits && { alertLimits }) },
    nodes: [
      { id: 'note-host', kind: 'shell', config: { script: 'printf "%s" "$HOST"', env: { HOST: '{{ params.host }}' } } },
      { id: 'decide', kind: 'checkpoint', config: { title: 'Remediated?', fourEyes: false } },
    ],
    edges: [{ from: 'note-host', to: 'decide' }],
  };
}

let sequence = 0;
function alert(labels: Record<string, string>, status: 'firing' | 'resolved' = 'firing', fingerprint?: string) {
  sequence++;
  return {
    status,
    labels,
    annotations: { summary: `summary of ${labels.alertname}` },
    startsAt: '2026-11-27T03:00:00.123456789Z',
    endsAt: status === 'resolved' ? '2026-11-27T03:30:00Z' : '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus.example/graph',
    fingerprint: fingerprint ?? `${sequence.toString(16).padStart(8, '0')}${process.pid.toString(16)}`.slice(0, 16),
  };
}

function notification(alerts: ReturnType<typeof alert>[]) {
  return {
    version: '4',
    groupKey: '{}:{alertname="x"}',
    truncatedAlerts: 0,
    status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    receiver: 'runwright',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example',
    alerts,
  };
}

const post = (body: unknown, token: string | null = receiverToken) => stack.api.call('POST', '/api/hooks/alertmanager', body, token);
const decisionsOf = (body: { decisions: AlertDecision[] }) => body.decisions.map((d) => d.decision).sort();

async function runningRuns(runbookId: string): Promise<string[]> {
  const { body } = await stack.api.call('GET', `/api/runs?runbookId=${runbookId}&trigger=alert&limit=500`);
  return body.runs.map((r: unknown) => runSummarySchema.parse(r)).map((r: { runId: string }) => r.runId);
}


beforeAll(async () => {
  stack = await startApiStack({ runbooks: {} });
  const write = (doc: RunbookDocument) => writeRunbookFile(stack.folder, doc);
  write(remediation('disk-full', { name: 'disk', match: [{ label: 'alertname', value: 'DiskFull' }, { label: 'severity', op: '=~', value: 'critical|page' }], params: { host: '{{ alert.labels.instance }}', summary: '{{ alert.annotations.summary }}' } }, { maxConcurrent: 50, maxStarts: 100 }));
  write(remediation('node-down', { name: 'down', match: [{ label: 'alertname', value: 'NodeDown' }, { label: 'env', op: '!=', value: 'staging' }], params: { host: '{{ alert.labels.instance }}' } }, { maxConcurrent: 2, maxStarts: 100 }));
  write(remediation('rate-limited', { name: 'rl', match: [{ label: 'alertname', value: 'Flappy' }], params: { host: '{{ alert.labels.instance }}' } }, { maxConcurrent: 100, maxStarts: 3, window: '1h' }));
  write({ ...remediation('one-per-host', { name: 'host', match: [{ label: 'alertname', value: 'HostSick' }], params: { host: '{{ $substringBefore(alert.labels.instance, ":") }}' } }), concurrency: { key: '{{ params.host }}', onConflict: 'refuse' } });
  write(remediation('bad-mapping', { name: 'bad', match: [{ label: 'alertname', value: 'BadMapping' }], params: { host: '{{ alert.labels.port }}', extra: 'x' } }));
  receiverToken = (await stack.api.tokenStore.create({ user: 'alertmanager', roles: ['operator'], createdBy: 'test' })).token;
});

afterAll(() => stack?.stop());

describe('the Alertmanager receiver', () => {
  it('starts exactly one run when the same notification arrives 50 times at once', async () => {
    const body = notification([alert({ alertname: 'DiskFull', severity: 'critical', instance: 'db-1:9100' })]);
    const responses = await Promise.all(Array.from({ length: 50 }, () => post(body)));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    const decisions = responses.flatMap((r) => r.body.decisions as AlertDecision[]);
    expect(decisions.filter((d) => d.decision === 'started')).toHaveLength(1);
    expect(decisions.filter((d) => d.decision === 'joined')).toHaveLength(49);
    expect(new Set(decisions.map((d) => d.runId)).size).toBe(1);
    const runId = decisions[0]!.runId!;
    started.add(runId);
    expect(await eventually(() => runningRuns('disk-full'), (ids) => ids.length >= 1)).toEqual([runId]);

    // The labels reached the step as data: the run's parameters and the shell's output show them verbatim.
    const run = await eventually(
      async () => (await stack.api.call('GET', `/api/runs/${runId}`)).body,
      (r) => r.state?.nodes?.['note-host']?.status === 'succeeded',
    );
    expect(run.state.params).toEqual({ host: 'db-1:9100', summary: 'summary of DiskFull' });
    expect(run.state.nodes['note-host'].output.stdout).toBe('db-1:9100');
    expect(run.state.startedBy).toBe('alertmanager');

    const audit = (await stack.api.call('GET', '/api/audit?action=alert.started')).body.records;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: { user: 'alertmanager', via: 'webhook' }, target: { runbookId: 'disk-full', route: 'disk', runId }, details: { labels: { instance: 'db-1:9100' } } });
  });

  it('starts one run per alert of a 20-alert group, and a resolved alert signals its run', async () => {
    const alerts = Array.from({ length: 20 }, (_, i) => alert({ alertname: 'DiskFull', severity: 'page', instance: `host-${i}` }));
    const response = await post(notification(alerts));
    expect(response.status).toBe(200);
    expect(decisionsOf(response.body)).toEqual(Array(20).fill('started'));
    const runIds = response.body.decisions.map((d: AlertDecision) => d.runId);
    expect(new Set(runIds).size).toBe(20);
    await eventually(() => runningRuns('disk-full'), (ids) => runIds.every((id: string) => ids.includes(id)));

    const first = alerts[0]!;
    const resolved = await post(notification([{ ...first, status: 'resolved', endsAt: '2026-11-27T03:30:00Z' }]));
    expect(resolved.status).toBe(200);
    expect(resolved.body.decisions).toEqual([expect.objectContaining({ decision: 'resolved', runId: runIds[0] })]);
    // A signal that arrives while the run's first workflow task is pending is buffered until that task completes.
    const events: RunEvent[] = await eventually(
      async () => (await stack.api.call('GET', `/api/runs/${runIds[0]}/events`)).body.events,
      (list: RunEvent[]) => list.some((e) => e.type === 'WorkflowExecutionSignaled'),
    );
    expect(events.find((e) => e.type === 'WorkflowExecutionSignaled')).toMatchObject({
      details: { signal: 'alertResolved', input: [{ fingerprint: first.fingerprint, resolvedAt: '2026-11-27T03:30:00Z' }] },
    });
    // The same alert firing again (a repeat notification) joins the run it started.
    expect(decisionsOf((await post(notification([first]))).body)).toEqual(['joined']);
  });

  it('routes by every matcher operator and reports alerts no route takes', async () => {
    const response = await post(
      notification([
        alert({ alertname: 'DiskFull', severity: 'warning', instance: 'a' }),
        alert({ alertname: 'NodeDown', env: 'staging', instance: 'b' }),
        alert({ alertname: 'NodeDown', instance: 'c' }),
        alert({ alertname: 'Unrelated' }),
      ]),
    );
    expect(response.status).toBe(200);
    expect(response.body.decisions.map((d: AlertDecision) => [d.runbookId ?? '-', d.decision])).toEqual([
      ['-', 'unmatched'],
      ['-', 'unmatched'],
      ['node-down', 'started'],
      ['-', 'unmatched'],
    ]);
  });

  it('suppresses and records alerts beyond the concurrency limit, the rate limit, and while paused', async () => {
    const overConcurrency = await post(notification([1, 2, 3].map((i) => alert({ alertname: 'NodeDown', instance: `n${i}` }))));
    // node-down allows 2 at once and already runs one.
    expect(decisionsOf(overConcurrency.body)).toEqual(['started', 'suppressed', 'suppressed']);

    const overRate = await post(notification([1, 2, 3, 4, 5].map((i) => alert({ alertname: 'Flappy', instance: `f${i}` }))));
    expect(decisionsOf(overRate.body)).toEqual(['started', 'started', 'started', 'suppressed', 'suppressed']);
    expect(overRate.body.decisions.find((d: AlertDecision) => d.decision === 'suppressed').reason).toMatch(/breaker open/);

    expect((await stack.api.call('PUT', '/api/triggers/alerts', { paused: true, reason: 'storm' }, stack.api.tokens.operator)).status).toBe(403);
    expect((await stack.api.call('PUT', '/api/triggers/alerts', { paused: true, reason: 'storm' })).body).toMatchObject({ paused: true, by: 'bootstrap' });
    const paused = await post(notification([alert({ alertname: 'DiskFull', severity: 'page', instance: 'during-pause' })]));
    expect(paused.body.decisions).toEqual([expect.objectContaining({ decision: 'suppressed', reason: expect.stringMatching(/paused by bootstrap: storm/) })]);
    await stack.api.call('PUT', '/api/triggers/alerts', { paused: false });

    const suppressed = (await stack.api.call('GET', '/api/audit?action=alert.suppressed')).body.records;
    expect(suppressed).toHaveLength(5);
    expect(suppressed.map((r: { details: { labels: { instance: string } } }) => r.details.labels.instance).sort()).toEqual(['during-pause', 'f4', 'f5', 'n2', 'n3']);
    expect((await stack.api.call('GET', '/api/audit?limit=1')).body.chain.ok).toBe(true);
  });

  it('refuses an alert whose parameters do not validate, and records why', async () => {
    const response = await post(notification([alert({ alertname: 'BadMapping', port: '8080' })]));
    expect(response.status).toBe(200);
    expect(response.body.decisions).toEqual([expect.objectContaining({ decision: 'refused', reason: expect.stringMatching(/params/) })]);
    expect(await runningRuns('bad-mapping')).toEqual([]);
    expect((await stack.api.call('GET', '/api/audit?action=alert.refused')).body.records).toHaveLength(1);
  });

  it('answers malformed notifications with 400 and starts nothing', async () => {
    const alertRecords = async () =>
      (await stack.api.call('GET', '/api/audit?limit=1000')).body.records.filter((r: { action: string }) => r.action.startsWith('alert.')).length;
    const before = await alertRecords();
    const good = alert({ alertname: 'DiskFull', severity: 'page', instance: 'never' });
    const cases: [string, unknown][] = [
      ['not json', '{"version": "4", '],
      ['wrong version', { ...notification([good]), version: '3' }],
      ['no alerts', notification([])],
      ['alerts not a list', { ...notification([good]), alerts: good }],
      ['bad fingerprint', notification([{ ...good, fingerprint: '../../etc' }])],
      ['bad startsAt', notification([{ ...good, startsAt: 'yesterday' }])],
      ['label not a string', notification([{ ...good, labels: { alertname: 'DiskFull', severity: 'page', instance: 7 } as never }])],
      ['bad status', notification([{ ...good, status: 'burning' as never }])],
    ];
    for (const [name, body] of cases) {
      const response = await post(body);
      expect({ name, status: response.status, error: response.body.error }).toEqual({ name, status: 400, error: 'validation_error' });
    }
    expect((await post(notification([good]), null)).status).toBe(401);
    expect((await post(notification([good]), stack.api.tokens.viewer)).status).toBe(403);
    expect(await alertRecords()).toBe(before);
    const handle = stack.env.client.workflow.getHandle(`alert-disk-full-disk-${good.fingerprint}-${Date.parse(good.startsAt)}`);
    await expect(handle.describe()).rejects.toThrow(/not found/i);
  });

  it('starts no run for an alert whose concurrency key a running remediation holds: refused naming the holder, audited, and shown on the holder', async () => {
    const first = alert({ alertname: 'HostSick', instance: 'web-7:8080' });
    // Same host, another instance, in the same notification: the first run has not taken its key yet.
    const twin = alert({ alertname: 'HostSick', instance: 'web-7:8081' });
    const other = alert({ alertname: 'HostSick', instance: 'web-8:8080' });
    const { body } = await post(notification([first, twin, other]));
    const byFingerprint = new Map((body.decisions as AlertDecision[]).map((d) => [d.fingerprint, d]));
    const holder = byFingerprint.get(first.fingerprint)!;
    expect(holder.decision).toBe('started');
    expect(byFingerprint.get(other.fingerprint)!.decision).toBe('started');
    expect(byFingerprint.get(twin.fingerprint)).toMatchObject({ decision: 'refused', heldBy: holder.runId, reason: `run ${holder.runId} holds the concurrency key "web-7"` });
    for (const d of body.decisions as AlertDecision[]) if (d.runId) started.add(d.runId);

    // Later, with the run holding its key (its lock answers now): refused again.
    await eventually(async () => (await stack.api.call('GET', `/api/runs/${holder.runId}`)).body.state?.concurrency?.status, (s) => s === 'held');
    const later = alert({ alertname: 'HostSick', instance: 'web-7:9090' });
    const again = await post(notification([later]));
    expect(again.body.decisions).toEqual([expect.objectContaining({ decision: 'refused', heldBy: holder.runId })]);

    const refused = (await stack.api.call('GET', '/api/audit?action=alert.refused')).body.records.filter((r: { target: { runbookId?: string } }) => r.target.runbookId === 'one-per-host');
    expect(refused.map((r: { target: Record<string, string>; details: { labels: Record<string, string> } }) => [r.target.heldBy, r.details.labels.instance]).sort()).toEqual([
      [holder.runId, 'web-7:8081'],
      [holder.runId, 'web-7:9090'],
    ]);
    const state = await eventually(async () => (await stack.api.call('GET', `/api/runs/${holder.runId}`)).body.state, (s) => (s?.heldBackAlerts ?? []).length === 2);
    expect(state.heldBackAlertsTotal).toBe(2);
    expect(state.heldBackAlerts.map((a: { labels: Record<string, string> }) => a.labels.instance)).toEqual(['web-7:8081', 'web-7:9090']);
    const expected = [holder.runId, byFingerprint.get(other.fingerprint)!.runId].sort();
    expect(await eventually(async () => (await runningRuns('one-per-host')).sort(), (ids) => ids.length >= 2)).toEqual(expected);
  });
});
