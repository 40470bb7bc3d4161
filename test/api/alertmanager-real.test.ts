import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord, RunEvent } from '@runwright/runbook';
import { prepareAlertmanager } from '../scenarios/steps/servers/alertmanager.js';
import { startApiStack, type ApiStack } from '../support/api-stack.js';
import { freePort } from '../support/free-port.js';
import { eventually } from '../support/eventually.js';
import { writeRunbookFile } from '../support/runbooks-folder.js';

// A real Alertmanager (Debian's prometheus-alertmanager) pointed at the API, fired with amtool.
let stack: ApiStack;
let alertmanager: ChildProcess | undefined;
let alertmanagerUrl: string;
let alertmanagerLog = '';

function amtool(args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    execFile('amtool', [...args, `--alertmanager.url=${alertmanagerUrl}`], { timeout: 20_000 }, (error, stdout, stderr) =>
      error ? fail(new Error(`amtool ${args.join(' ')}: ${stderr || error.message}`)) : done(stdout),
    );
  });
}


/** `eventually`, with Alertmanager's log in the failure. */
const eventuallyLogged = <T>(read: () => Promise<T>, until: (value: T) => boolean, what: string) =>
  eventually(read, until, { what, detail: () => `alertmanager log:\n${alertmanagerLog}` });

const records = async (action: string): Promise<AuditRecord[]> => (await stack.api.call('GET', `/api/audit?action=${action}`)).body.records;

beforeAll(async () => {
  stack = await startApiStack({ runbooks: {} });
  writeRunbookFile(stack.folder, {
    id: 'disk-full',
    title: 'Free disk space',
    parameters: { host: { type: 'string' } },
    triggers: { alerts: [{ name: 'disk', match: [{ label: 'alertname', value: 'RealDiskFull' }], params: { host: '{{ alert.labels.instance }}' } }] },
    nodes: [
      { id: 'note-host', kind: 'shell', config: { script: 'printf "%s" "$HOST"', env: { HOST: '{{ params.host }}' } } },
      { id: 'decide', kind: 'checkpoint', config: { title: 'Space freed?' } },
    ],
    edges: [{ from: 'note-host', to: 'decide' }],
  });
  const receiverToken = (await stack.api.tokenStore.create({ user: 'alertmanager', roles: ['operator'], createdBy: 'test' })).token;

  const port = await freePort();
  alertmanagerUrl = `http://127.0.0.1:${port}`;
  const { argv } = prepareAlertmanager(stack.folder, `127.0.0.1:${port}`, {
    route: { receiver: 'runwright', group_by: ['alertname', 'instance'], group_wait: '1s', group_interval: '1s', repeat_interval: '1h' },
    receivers: [
      {
        name: 'runwright',
        webhook_configs: [
          { url: `${stack.api.url}/api/hooks/alertmanager`, send_resolved: true, http_config: { authorization: { type: 'Bearer', credentials: receiverToken } } },
        ],
      },
    ],
  });
  const [program, ...args] = argv as [string, ...string[]];
  alertmanager = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  alertmanager.stdout!.on('data', (chunk) => (alertmanagerLog += chunk));
  alertmanager.stderr!.on('data', (chunk) => (alertmanagerLog += chunk));
  await eventuallyLogged(() => fetch(`${alertmanagerUrl}/-/ready`).then((r) => r.ok, () => false), Boolean, 'Alertmanager ready');
});

afterAll(async () => {
  if (alertmanager && alertmanager.exitCode === null) {
    const exited = new Promise((r) => alertmanager!.once('exit', r));
    alertmanager.kill('SIGTERM');
    await exited;
  }
  await stack?.stop();
});

describe('a real Alertmanager pointed at the receiver', () => {
  it('starts one remediation run for a fired alert and signals it when the alert resolves', async () => {
    const startsAt = new Date(Date.now() - 5_000).toISOString();
    const labels = ['alertname=RealDiskFull', 'instance=db-9:9100', 'severity=page'];
    await amtool(['alert', 'add', ...labels, '--annotation=summary=disk almost full', `--start=${startsAt}`]);

    const [started] = await eventuallyLogged(() => records('alert.started'), (r) => r.length === 1, 'alert.started');
    const runId = started!.target.runId!;
    expect(started).toMatchObject({ actor: { user: 'alertmanager', via: 'webhook' }, details: { receiver: 'runwright', labels: { instance: 'db-9:9100' } } });
    const run = await eventuallyLogged(
      async () => (await stack.api.call('GET', `/api/runs/${runId}`)).body,
      (r) => r.state?.nodes?.['note-host']?.status === 'succeeded',
      'the run to record the host',
    );
    expect(run.state.nodes['note-host'].output.stdout).toBe('db-9:9100');

    // Firing the same alert again is the same alert to Alertmanager: no second run.
    await amtool(['alert', 'add', ...labels, '--annotation=summary=disk almost full', `--start=${startsAt}`]);
    // Resolving it: Alertmanager sends the resolved notification on the group's next flush.
    await amtool(['alert', 'add', ...labels, '--annotation=summary=disk almost full', `--start=${startsAt}`, `--end=${new Date(Date.now() - 1_000).toISOString()}`]);
    await eventuallyLogged(() => records('alert.resolved'), (r) => r.some((x) => x.target.runId === runId), 'alert.resolved');
    const events: RunEvent[] = await eventuallyLogged(
      async () => (await stack.api.call('GET', `/api/runs/${runId}/events`)).body.events,
      (list: RunEvent[]) => list.some((e) => e.type === 'WorkflowExecutionSignaled'),
      'the alertResolved signal',
    );
    expect(events.find((e) => e.type === 'WorkflowExecutionSignaled')!.details).toMatchObject({ signal: 'alertResolved' });
    expect(await records('alert.started')).toHaveLength(1);
    console.info(`real Alertmanager: ${(await stack.api.call('GET', '/api/audit?limit=1000')).body.records.filter((r: AuditRecord) => r.action.startsWith('alert.')).map((r: AuditRecord) => r.action).reverse().join(', ')}`);
  });
});
