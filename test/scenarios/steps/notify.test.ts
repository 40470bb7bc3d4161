import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AddressPolicy } from '../../../workers/src/config/address-policy.js';
import { envSecretSource } from '../../../workers/src/secrets/env-secret-source.js';
import { activityFailure, runActivity } from '../../support/activities.js';
import { historyText } from '../../support/history-text.js';
import { startHttpServer } from '../../support/http-server.js';
import { finalState, startTestRun } from '../../support/run-helpers.js';
import { connectToTestServer, startTestWorker, type RunningWorker } from '../../support/temporal.js';

const smtpPassword = 'smtp-canary-password';
let env: TestWorkflowEnvironment;
let worker: RunningWorker;
let receiver: Awaited<ReturnType<typeof startHttpServer>>;
const bodies: { url: string; json: unknown }[] = [];
let smtp: SMTPServer;
let smtpPort: number;
const mails: { from: string; to: string[]; raw: string }[] = [];
let activityConfig: { secrets: ReturnType<typeof envSecretSource>; addresses: AddressPolicy };

beforeAll(async () => {
  receiver = await startHttpServer((request, response) => {
    let body = '';
    request.on('data', (c: Buffer) => (body += c));
    request.on('end', () => {
      bodies.push({ url: request.url ?? '', json: JSON.parse(body || 'null') });
      if (request.url === '/down') return void response.writeHead(500).end('broken');
      response.writeHead(200).end('ok');
    });
  });
  activityConfig = {
    secrets: envSecretSource({ RUNWRIGHT_SECRET_SMTP_PASSWORD: smtpPassword, RUNWRIGHT_SECRET_SLACK_HOOK: `${receiver.url}/services/T000/B000/XXXX` }),
    addresses: new AddressPolicy(['127.0.0.1']),
  };
  // A real SMTP server on loopback that asks for a login (plain text is fine on loopback).
  smtp = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth: (auth, _session, callback) =>
      auth.username === 'runwright' && auth.password === smtpPassword ? callback(null, { user: auth.username }) : callback(new Error('Invalid username or password')),
    onData: (stream, session, callback) => {
      let raw = '';
      stream.on('data', (c: Buffer) => (raw += c));
      stream.on('end', () => {
        mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  smtpPort = (smtp.server.address() as { port: number }).port;
  env = await connectToTestServer();
  worker = await startTestWorker(env, { kinds: ['notify'], activityConfig });
});

afterAll(async () => {
  await worker?.stop();
  await receiver?.close();
  await new Promise<void>((resolve) => smtp?.close(() => resolve()));
  await env?.teardown();
});

const email = () => ({ host: '127.0.0.1', port: smtpPort, user: 'runwright', password: { secret: 'SMTP_PASSWORD' }, from: 'runwright@example.test', to: ['oncall@example.test'] });

describe('notify', () => {
  it('reaches a JSON webhook, a Slack-compatible webhook and an SMTP server through the interpreter', async () => {
    const handle = await startTestRun(env, worker.taskQueue, {
      secrets: ['SMTP_PASSWORD', 'SLACK_HOOK'],
      nodes: [
        {
          id: 'tell',
          kind: 'notify',
          config: {
            title: 'Failover done',
            message: 'db-2 is primary now',
            webhook: { url: `${receiver.url}/hook` },
            slack: { webhookUrl: { secret: 'SLACK_HOOK' }, channel: '#ops' },
            email: email(),
          },
        },
      ],
    });
    const state = await finalState(handle);
    expect(state.status).toBe('succeeded');
    expect((state.nodes.tell!.output as { delivered: { channel: string }[] }).delivered.map((d) => d.channel)).toEqual(['webhook', 'slack', 'email']);
    expect(bodies.find((b) => b.url === '/hook')!.json).toMatchObject({ title: 'Failover done', message: 'db-2 is primary now', nodeId: 'tell', runId: handle.workflowId });
    expect(bodies.find((b) => b.url.startsWith('/services/'))!.json).toEqual({ text: '*Failover done*\ndb-2 is primary now', channel: '#ops' });
    expect(receiver.requests.find((r) => r.url === '/hook')!.headers['idempotency-key']).toBe(`${handle.workflowId}/tell`);
    const mail = mails.at(-1)!;
    expect(mail).toMatchObject({ from: 'runwright@example.test', to: ['oncall@example.test'] });
    expect(mail.raw).toContain('Subject: Failover done');
    expect(mail.raw).toContain('db-2 is primary now');
    expect(mail.raw).toMatch(/Message-ID: <.*tell@runwright>/i);
    const history = await historyText(handle);
    expect(history).not.toContain(smtpPassword);
    expect(history).not.toContain('/services/T000');
  });

  it('names each channel that failed, and types the failure', async () => {
    const partial = await activityFailure(runActivity('notify', { title: 't', webhook: { url: `${receiver.url}/down` }, email: email() }, { activityConfig }));
    expect(partial).toMatchObject({ type: 'PartialFailure', message: 'webhook: answered 500: broken (delivered: email)' });
    const login = await activityFailure(runActivity('notify', { title: 't', email: { ...email(), password: 'wrong' } }, { activityConfig }));
    expect(login).toMatchObject({ type: 'AuthenticationFailed', message: 'email: the SMTP server refused the login of runwright' });
    expect(await activityFailure(runActivity('notify', { title: 'nowhere' }, { activityConfig }))).toMatchObject({ type: 'InvalidConfig', message: 'webhook: give at least one of webhook, slack or email', nonRetryable: true });
  });
});
