// Secrets: a runbook declares every secret it references, so a reviewer sees in one place what
// a runbook can reach; a secret stays hidden however a program prints it (as it is, escaped for
// JSON, encoded for a URL or a form, base64 on its own or inside basic auth); and a header that
// carries one goes to the origin it was written for, never on across a redirect.
import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRunbook, stepErrors, validateRunbook } from '@runwright/runbook';
import { AddressPolicy } from '../../workers/src/config/address-policy.js';
import { envSecretSource } from '../../workers/src/secrets/env-secret-source.js';
import { activityFailure, runActivity } from '../support/activities.js';
import { historyText } from '../support/history-text.js';
import { startHttpServer } from '../support/http-server.js';
import { finalState, startTestRun } from '../support/run-helpers.js';
import { runbooksFolder } from '../support/runbooks.js';
import { connectToTestServer, startTestWorker, type RunningWorker } from '../support/temporal.js';

const problemsOf = (document: Record<string, unknown>) => {
  const result = validateRunbook({ id: 'uses-secrets', title: 'Uses secrets', ...document });
  return result.ok ? [] : result.problems;
};
const shellWith = (secret: string) => ({ command: ['true'], env: { TOKEN: { secret } } });
const notifyWith = (secret: string) => ({ kind: 'notify', config: { title: 'ping', slack: { webhookUrl: { secret } } } });

describe('a runbook declares the secrets it uses', () => {
  it('refuses a secret it did not declare, wherever a node references it, naming the path', () => {
    const nodes = [
      { id: 'in-config', kind: 'shell', config: shellWith('DB_PASSWORD') },
      { id: 'in-rollback', kind: 'shell', config: { command: ['true'] }, rollback: { kind: 'shell', config: shellWith('ROLLBACK_KEY') } },
      { id: 'in-guard', kind: 'observe', config: { duration: '1m', guards: [{ name: 'health', check: { kind: 'shell', config: shellWith('GUARD_TOKEN') } }] } },
      { id: 'in-escalation', kind: 'checkpoint', config: { title: 'Go?', timeout: '1h', onTimeout: 'escalate', escalate: notifyWith('PAGER_URL') } },
    ];
    const edges = [
      { from: 'in-config', to: 'in-rollback' },
      { from: 'in-rollback', to: 'in-guard' },
      { from: 'in-guard', to: 'in-escalation' },
    ];
    expect(problemsOf({ nodes, edges })).toEqual([
      { path: 'nodes.0.config.env.TOKEN.secret', message: expect.stringContaining('secret DB_PASSWORD is not declared') },
      { path: 'nodes.1.rollback.config.env.TOKEN.secret', message: expect.stringContaining('secret ROLLBACK_KEY is not declared') },
      { path: 'nodes.2.config.guards.0.check.config.env.TOKEN.secret', message: expect.stringContaining('secret GUARD_TOKEN is not declared') },
      { path: 'nodes.3.config.escalate.config.slack.webhookUrl.secret', message: expect.stringContaining('secret PAGER_URL is not declared') },
    ]);
    // Declared (by name, or with a description for whoever provides it), the same runbook loads.
    const secrets = ['DB_PASSWORD', { name: 'ROLLBACK_KEY', description: 'ssh key of the rollback user' }, 'GUARD_TOKEN', { name: 'PAGER_URL' }];
    expect(problemsOf({ nodes, edges, secrets })).toEqual([]);
    // Declaring one secret does not declare another.
    expect(problemsOf({ nodes: [nodes[0]], secrets: ['DB_PASS'] })).toEqual([{ path: 'nodes.0.config.env.TOKEN.secret', message: expect.stringContaining('DB_PASSWORD') }]);
  });

  it('refuses a secret declared twice, and a declaration that is not a secret name', () => {
    expect(problemsOf({ nodes: [{ id: 'a', kind: 'shell', config: shellWith('X') }], secrets: ['X', { name: 'X' }] })).toEqual([
      { path: 'secrets.1', message: 'secret X is declared twice' },
    ]);
    expect(problemsOf({ nodes: [{ id: 'a', kind: 'shell', config: { command: ['true'] } }], secrets: ['lower-case'] })).toEqual([
      expect.objectContaining({ path: 'secrets.0' }),
    ]);
  });

  it('holds for the shipped runbooks: every secret they reference is declared, with what it is for', () => {
    for (const file of readdirSync(runbooksFolder).filter((f) => f.endsWith('.yaml'))) {
      const text = readFileSync(join(runbooksFolder, file), 'utf8');
      const result = loadRunbook(text);
      expect(result.ok ? [] : result.problems, file).toEqual([]);
      if (!result.ok) continue;
      const used = new Set([...text.matchAll(/\{ secret: ([A-Z][A-Z0-9_]*) \}/g)].map((m) => m[1]));
      const declared = (result.runbook.secrets ?? []).map((s) => (typeof s === 'string' ? { name: s } : s));
      expect(declared.map((s) => s.name).sort(), file).toEqual([...used].sort());
      for (const s of declared) expect(s, file).toMatchObject({ description: expect.any(String) });
    }
  });
});

// Quotes, a backslash, a slash, a space, + & = ?, non-ASCII: every encoding changes something.
const secret = `p"a\\ss/wörd +&=? ${randomUUID()}`;
let env: TestWorkflowEnvironment;
let worker: RunningWorker;
const activityConfig = { secrets: envSecretSource({ RUNWRIGHT_SECRET_API_KEY: secret }), addresses: new AddressPolicy(['127.0.0.1/32']) };

beforeAll(async () => {
  env = await connectToTestServer();
  worker = await startTestWorker(env, { kinds: ['shell'], activityConfig });
});
afterAll(async () => {
  await worker?.stop();
  await env?.teardown();
});

/** What a careless program prints: the secret in every form it commonly travels in. */
const printEveryForm = `
const s = process.env.S;
const b64 = (t) => Buffer.from(t).toString('base64');
console.log('json, escaped to ASCII:', JSON.stringify(s).replace(/[\\u0080-\\uffff]/g, (c) => '\\\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')));
console.log('json:', JSON.stringify({ token: s }));
console.log('url:', 'https://example.test/?token=' + encodeURIComponent(s));
console.log('form:', new URLSearchParams({ token: s }).toString());
console.log('base64:', b64(s));
console.log('base64url:', Buffer.from(s).toString('base64url'));
console.log('basic auth:', 'Basic ' + b64('admin:' + s));
console.log('inside a base64 JSON:', b64(JSON.stringify({ user: 'x', pass: s })));
console.error('stderr base64:', b64('k=' + s));
`;

describe('redaction', () => {
  it('hides a secret printed escaped for JSON, encoded for a URL or a form, or in base64, everywhere in history', async () => {
    const handle = await startTestRun(env, worker.taskQueue, {
      secrets: ['API_KEY'],
      nodes: [{ id: 'careless', kind: 'shell', config: { command: [process.execPath, '-e', printEveryForm], env: { S: { secret: 'API_KEY' } } } }],
    });
    const state = await finalState(handle);
    expect(state.status).toBe('succeeded');
    const output = state.nodes.careless!.output as { stdout: string; stderr: string };
    expect(output.stdout).toContain('base64: ***');
    expect(output.stdout.split('\n').filter(Boolean)).toHaveLength(8);
    const history = await historyText(handle);
    const b64 = (t: string) => Buffer.from(t).toString('base64');
    const forms = {
      plain: secret,
      json: JSON.stringify(secret).slice(1, -1),
      url: encodeURIComponent(secret),
      form: new URLSearchParams({ t: secret }).toString().slice(2),
      base64: b64(secret).replace(/=+$/, ''),
      base64url: Buffer.from(secret).toString('base64url'),
      // The middle of each, which a differently aligned encoding still contains.
      basicAuth: b64(`admin:${secret}`).slice(10, 40),
      nestedBase64: b64(JSON.stringify({ user: 'x', pass: secret })).slice(30, 60),
      stderr: b64(`k=${secret}`).slice(4, 30),
    };
    for (const [name, form] of Object.entries(forms)) {
      expect(JSON.stringify(output), name).not.toContain(form);
      expect(history, name).not.toContain(form);
    }
  });
});

describe('a redirect to another origin', () => {
  let target: Awaited<ReturnType<typeof startHttpServer>>;
  let origin: Awaited<ReturnType<typeof startHttpServer>>;
  beforeAll(async () => {
    target = await startHttpServer((_request, response) => response.writeHead(200).end('landed'));
    origin = await startHttpServer((request, response) => {
      const status = Number(new URL(request.url!, 'http://x').searchParams.get('status') ?? 302);
      const to = request.url!.startsWith('/same') ? '/landed' : `${target.url}/landed`;
      response.writeHead(status, { location: to }).end();
    });
  });
  afterAll(async () => {
    await origin?.close();
    await target?.close();
  });

  const headers = { 'x-api-key': { secret: 'API_KEY' }, authorization: 'Bearer not-a-declared-secret', 'x-trace': 'plain' };

  it('drops every header that carried a secret, not only authorization and cookie', async () => {
    const result = await runActivity('http', { url: `${origin.url}/away`, headers }, { activityConfig });
    expect(result.output).toMatchObject({ status: 200, body: 'landed' });
    const landed = target.requests.at(-1)!;
    expect(landed.headers['x-trace']).toBe('plain');
    expect(landed.headers['x-api-key']).toBeUndefined();
    expect(landed.headers.authorization).toBeUndefined();
    expect(JSON.stringify(landed.headers)).not.toContain(secret);
  });

  it('keeps them on a redirect within the origin', async () => {
    const before = origin.requests.length;
    await runActivity('http', { url: `${origin.url}/same`, headers, expectStatus: [302, 404, 200] }, { activityConfig }).catch(() => undefined);
    const followed = origin.requests.slice(before).find((r) => r.url === '/landed');
    expect(followed?.headers['x-api-key']).toBe(secret);
  });

  it('does not send a body that carries a secret on to another origin (307 repeats the body)', async () => {
    const before = target.requests.length;
    const failure = await activityFailure(
      runActivity('http', { url: `${origin.url}/away?status=307`, method: 'POST', body: { key: { secret: 'API_KEY' } } }, { activityConfig }),
    );
    expect(failure).toMatchObject({ type: stepErrors.unexpectedStatus, message: expect.stringContaining('answered 307') });
    expect(target.requests.length).toBe(before);
  });
});
