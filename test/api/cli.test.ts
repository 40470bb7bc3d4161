import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenStore } from '../../apps/api/src/auth/token-store.js';
import { FileTokenRecords } from '../../apps/api/src/store/file/file-token-records.js';
import { startApiStack, type ApiStack } from '../support/api-stack.js';
import { runbooksFolder } from '../support/runbooks.js';
import { runCli, runwright } from '../support/cli.js';
import { eventually } from '../support/eventually.js';

let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'runwright-cli-'));
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('runwright validate', () => {
  it('passes valid files and fails, listing every problem with its path, on invalid ones', async () => {
    const good = await runCli(['validate', join(runbooksFolder, 'hello.yaml')]);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/hello\.yaml: ok \(sha256:[0-9a-f]{64}\)/);

    writeFileSync(join(scratch, 'broken.yaml'), 'id: broken\ntitle: Broken\nnodes:\n  - id: a\n    kind: shell\n    config: {}\nedges:\n  - from: a\n    to: nowhere\n');
    writeFileSync(join(scratch, 'renamed.yaml'), 'id: other-name\ntitle: T\nnodes:\n  - id: a\n    kind: checkpoint\n    config: { title: ok }\n');
    const bad = await runCli(['validate', join(runbooksFolder, 'hello.yaml'), join(scratch, 'broken.yaml'), join(scratch, 'renamed.yaml'), join(scratch, 'missing.yaml')]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/broken\.yaml: nodes\.0\.config\.\w+: /);
    expect(bad.stdout).toMatch(/renamed\.yaml: id: id "other-name" does not match the file name renamed\.yaml/);
    expect(bad.stdout).toMatch(/missing\.yaml: \(document\): cannot read/);
    expect(bad.stderr).toContain('4 file(s) checked, 3 with problems');

    const json = await runCli(['validate', '--json', join(scratch, 'renamed.yaml')]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual([{ file: join(scratch, 'renamed.yaml'), problems: [{ path: 'id', message: expect.any(String) }] }]);
  });
});

describe('runwright against a running API', () => {
  let stack: ApiStack;

  beforeAll(async () => {
    stack = await startApiStack();
  });
  afterAll(() => stack?.stop());

  it('creates tokens through the API and offline, each shown once', async () => {
    const online = await runCli(['token', 'create', '-u', 'frank', '-r', 'operator', '-r', 'approver', '--url', stack.api.url, '--token', stack.api.tokens.admin]);
    expect(online.code).toBe(0);
    const token = online.stdout.trim();
    expect((await stack.api.call('GET', '/api/me', undefined, token)).body).toMatchObject({ user: 'frank', roles: ['operator', 'approver'] });
    expect((await stack.api.call('GET', '/api/audit?action=createToken')).body.records[0]).toMatchObject({ actor: { user: 'bootstrap' }, outcome: 'ok' });

    const denied = await runCli(['token', 'create', '-u', 'x', '-r', 'admin', '--url', stack.api.url, '--token', stack.api.tokens.viewer]);
    expect(denied.code).toBe(2);
    expect(denied.stderr).toMatch(/forbidden \(HTTP 403\)/);

    const offline = await runCli(['token', 'create', '-u', 'gina', '-r', 'viewer', '--offline', '--data-dir', scratch]);
    expect(offline.code).toBe(0);
    expect(await new TokenStore(new FileTokenRecords(join(scratch, 'api', 'tokens.json'))).authenticate(offline.stdout.trim())).toMatchObject({ user: 'gina', roles: ['viewer'] });
    expect((await runCli(['token', 'create', '-u', 'h', '-r', 'root', '--offline', '--data-dir', scratch])).code).toBe(2);
  });

  it('runs hello, shows its status, and approves its checkpoint', async () => {
    const started = await runwright(stack.api, ['run', 'hello', '-p', 'who=cli', '-p', `healthUrl=${stack.api.url}/healthz`], stack.api.tokens.operator);
    expect(started.code).toBe(0);
    const runId = started.stdout.trim();
    expect(runId).toMatch(/^run-hello-/);

    const status = await eventually(() => runwright(stack.api, ['status', runId], stack.api.tokens.viewer), (s) => s.stdout.includes('waiting: confirm'), {
      what: 'the status naming the waiting checkpoint',
      attempts: 100,
    });
    expect(status.stdout).toContain(`waiting: confirm "Did the worker greet you?" — approve with: runwright approve ${runId} confirm`);
    expect(status.stdout).toMatch(/succeeded\s+say-hello/);

    const unticked = await runwright(stack.api, ['approve', runId, 'confirm'], stack.api.tokens.approver);
    expect(unticked.code).toBe(2);
    expect(unticked.stderr).toMatch(/greeting-read/);
    const approved = await runwright(stack.api, ['approve', runId, 'confirm', '-c', 'greeting-read', '-m', 'from the CLI'], stack.api.tokens.approver);
    expect(approved.stdout).toBe('confirm: approved by approver\n');

    const json = await eventually(
      async () => JSON.parse((await runwright(stack.api, ['status', '--json', runId], stack.api.tokens.viewer)).stdout),
      (view) => view.temporalStatus === 'COMPLETED',
      { what: 'the run completed', attempts: 100 },
    );
    expect(json.state.status).toBe('succeeded');
    expect((await runwright(stack.api, ['run', 'hello'])).stderr).toMatch(/RUNWRIGHT_TOKEN/);
  });
});
