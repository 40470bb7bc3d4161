import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../../apps/api/src/triggers/webhook-signature.js';
import { startApiStack, type ApiStack } from '../support/api-stack.js';
import { writeRunbookFile } from '../support/runbooks-folder.js';

// No worker: the test pins who may start a run, not what the run does.
const taskQueue = `webhook-no-worker-${process.pid}`;
let stack: ApiStack;
let secret: string;
let delivery = 0;

beforeAll(async () => {
  stack = await startApiStack({ worker: false, taskQueue, runbooks: {}, settings: { RUNWRIGHT_AUTH_FAILURE_LIMIT: '1000' } });
  writeRunbookFile(stack.folder, {
    id: 'deploy-check',
    title: 'Check a deployment',
    parameters: { service: { type: 'string' }, version: { type: 'string' } },
    triggers: { webhooks: [{ name: 'deployed', params: { service: '{{ alert.service }}', version: '{{ alert.version }}' } }] },
    nodes: [{ id: 'look', kind: 'checkpoint', config: { title: 'Look at it' } }],
  });
  const rotated = await stack.api.call('POST', '/api/triggers/webhooks/deploy-check/deployed/secret');
  expect(rotated.status).toBe(201);
  secret = rotated.body.secret;
  expect(secret).toMatch(/^whsec_/);
});

afterAll(() => stack?.stop());

function signed(body: string, options: { id?: string; timestamp?: number; key?: string } = {}) {
  const id = options.id ?? `msg_${process.pid}_${++delivery}`;
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return { id, headers: { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': sign(options.key ?? secret, id, timestamp, body) } };
}

const deliver = (body: string, headers: Record<string, string>, path = '/api/hooks/webhooks/deploy-check/deployed') =>
  stack.api.call('POST', path, body, null, headers);

describe('the signed generic webhook', () => {
  it('starts a run for a correctly signed delivery, with parameters from the body', async () => {
    const body = JSON.stringify({ service: 'billing', version: '2.4.1' });
    const { headers } = signed(body);
    const response = await deliver(body, headers);
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ decision: 'started', runId: expect.stringMatching(/^webhook-deploy-check-deployed-/) });
    const description = await stack.env.client.workflow.getHandle(response.body.runId).describe();
    expect(description.status.name).toBe('RUNNING');
    const { events } = (await stack.api.call('GET', `/api/runs/${response.body.runId}/events`)).body;
    expect(events[0].details).toMatchObject({ params: { service: 'billing', version: '2.4.1' }, trigger: { type: 'webhook', route: 'deployed' } });
    // Signatures from a sender rotating its secret list several; one match is enough.
    const again = JSON.stringify({ service: 'billing', version: '2.4.2' });
    const both = signed(again);
    const rotating = { ...both.headers, 'webhook-signature': `${signed(again, { id: both.id, key: 'whsec_b2xkIHNlY3JldA==' }).headers['webhook-signature']} ${both.headers['webhook-signature']}` };
    expect((await deliver(again, rotating)).status).toBe(202);
  });

  it('refuses wrong, missing, stale and replayed deliveries, records each, and starts nothing', async () => {
    const body = JSON.stringify({ service: 'billing', version: '9.9.9' });
    const good = signed(body);
    const cases: [string, string, Record<string, string>, number][] = [
      ['no headers', body, {}, 401],
      ['no signature', body, { 'webhook-id': good.id, 'webhook-timestamp': good.headers['webhook-timestamp'] }, 401],
      ['signed with another secret', body, signed(body, { key: 'whsec_d3Jvbmcgc2VjcmV0' }).headers, 401],
      ['body changed after signing', body.replace('9.9.9', '6.6.6'), good.headers, 401],
      ['other id than signed', body, { ...good.headers, 'webhook-id': 'msg_other' }, 401],
      ['timestamp too old', body, signed(body, { timestamp: Math.floor(Date.now() / 1000) - 600 }).headers, 401],
      ['timestamp in the future', body, signed(body, { timestamp: Math.floor(Date.now() / 1000) + 600 }).headers, 401],
      ['v0 scheme', body, { ...good.headers, 'webhook-signature': good.headers['webhook-signature'].replace('v1,', 'v0,') }, 401],
      ['unknown hook', body, good.headers, 401],
    ];
    for (const [name, payload, headers, status] of cases) {
      const path = name === 'unknown hook' ? '/api/hooks/webhooks/deploy-check/other' : undefined;
      const response = await deliver(payload, headers, path);
      expect({ name, status: response.status, error: response.body.error }).toEqual({ name, status, error: 'unauthorized' });
    }
    // The genuine delivery still works once, then its replay is refused.
    const first = await deliver(body, good.headers);
    expect(first.status).toBe(202);
    const replay = await deliver(body, good.headers);
    expect(replay.status).toBe(409);
    expect(replay.body.message).toMatch(/replay/);

    const refused = (await stack.api.call('GET', '/api/audit?action=webhook.refused&limit=100')).body.records;
    expect(refused).toHaveLength(cases.length + 1);
    const started = (await stack.api.call('GET', '/api/audit?action=webhook.started&limit=100')).body.records;
    expect(started).toHaveLength(3);
  });

  it('refuses a signed body that gives invalid parameters', async () => {
    const body = JSON.stringify({ service: 'billing' });
    const response = await deliver(body, signed(body).headers);
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([{ path: 'params.version', message: expect.any(String) }]);
    const list = JSON.stringify([1, 2]);
    expect((await deliver(list, signed(list).headers)).status).toBe(400);
  });

  it('a rotated secret replaces the old one at once', async () => {
    const old = secret;
    secret = (await stack.api.call('POST', '/api/triggers/webhooks/deploy-check/deployed/secret')).body.secret;
    const body = JSON.stringify({ service: 'billing', version: '3.0.0' });
    expect((await deliver(body, signed(body, { key: old }).headers)).status).toBe(401);
    expect((await deliver(body, signed(body).headers)).status).toBe(202);
    expect((await stack.api.call('POST', '/api/triggers/webhooks/deploy-check/deployed/secret', undefined, stack.api.tokens.operator)).status).toBe(403);
  });
});
