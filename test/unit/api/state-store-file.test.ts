import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { AuditLog, checkChain } from '../../../apps/api/src/audit/audit-log.js';
import { TokenStore } from '../../../apps/api/src/auth/token-store.js';
import { ReportCache } from '../../../apps/api/src/reports/report-cache.js';
import { RunbookVersions } from '../../../apps/api/src/runbooks/runbook-versions.js';
import { openStateStore } from '../../../apps/api/src/store/open-state-store.js';
import { AlertSwitch } from '../../../apps/api/src/triggers/alert-switch.js';
import { WebhookSecrets } from '../../../apps/api/src/triggers/webhook-secrets.js';
import { sampleReport, stateStoreContract } from '../../support/state-store-contract.js';

/** A data folder and a runbooks folder, as the API is configured with. */
function folders() {
  const root = mkdtempSync(join(tmpdir(), 'runwright-state-'));
  const runbooksDir = join(root, 'runbooks');
  mkdirSync(runbooksDir);
  const dataDir = join(root, 'data');
  return { root, dataDir, runbooksDir, open: () => openStateStore({ RUNWRIGHT_DATA_DIR: dataDir, RUNWRIGHT_RUNBOOKS_DIR: runbooksDir }) };
}

stateStoreContract('files', async () => {
  const { root, open } = folders();
  return { open, remove: async () => rmSync(root, { recursive: true, force: true }) };
});

describe('the file backend', () => {
  it('keeps the files and formats the API has always written, readable by its user only', async () => {
    const { root, dataDir, runbooksDir, open } = folders();
    onTestFinished(() => rmSync(root, { recursive: true, force: true }));
    const store = await open();
    const token = await new TokenStore(store.tokens).create({ user: 'ann', roles: ['viewer'], createdBy: 'test' });
    await new AuditLog(store.audit).append({ actor: { user: 'ann', via: 'token' }, from: {}, action: 'createToken', target: {}, outcome: 'ok' });
    await new AlertSwitch(store.alertSwitch).set(true, 'storm', 'ann');
    const secret = await new WebhookSecrets(store.webhookSecrets).rotate('alpha', 'deploy');
    const version = await new RunbookVersions(store.versions).record('alpha', 'id: alpha\n', 'ann');
    await new ReportCache(store.reports).put(sampleReport('run-1'), 'execution-a');
    await store.runbooks.create('alpha', 'id: alpha\n');

    const api = join(dataDir, 'api');
    expect(statSync(api).mode & 0o777).toBe(0o700);
    expect(readdirSync(api).sort()).toEqual(['alert-switch.json', 'audit.jsonl', 'reports', 'tokens.json', 'versions', 'webhook-secrets.json']);
    for (const file of ['alert-switch.json', 'audit.jsonl', 'tokens.json', 'webhook-secrets.json']) expect(statSync(join(api, file)).mode & 0o777).toBe(0o600);

    const tokens = JSON.parse(readFileSync(join(api, 'tokens.json'), 'utf8'));
    expect(tokens).toEqual({ tokens: [expect.objectContaining({ tokenId: token.tokenId, user: 'ann', hash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) })] });
    expect(readFileSync(join(api, 'tokens.json'), 'utf8')).not.toContain(token.token);
    expect(checkChain(readFileSync(join(api, 'audit.jsonl'), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line)))).toEqual({ ok: true, records: 1 });
    expect(JSON.parse(readFileSync(join(api, 'alert-switch.json'), 'utf8'))).toMatchObject({ paused: true, reason: 'storm', by: 'ann' });
    expect(JSON.parse(readFileSync(join(api, 'webhook-secrets.json'), 'utf8'))).toEqual({ 'alpha/deploy': secret });
    const hex = version.versionHash.slice('sha256:'.length);
    expect(readdirSync(join(api, 'versions', 'alpha')).sort()).toEqual([`${hex}.yaml`, 'index.jsonl']);
    expect(JSON.parse(readFileSync(join(api, 'versions', 'alpha', 'index.jsonl'), 'utf8'))).toEqual(version);
    expect(readdirSync(join(api, 'reports'))).toEqual([expect.stringMatching(/^[0-9a-f]{64}\.json$/)]);
    expect(readdirSync(runbooksDir)).toEqual(['alpha.yaml']);
  });

  it('reads runbook files as they are on disk, `.yml` included, and never a temporary or badly named one', async () => {
    const { root, runbooksDir, open } = folders();
    onTestFinished(() => rmSync(root, { recursive: true, force: true }));
    const documents = (await open()).runbooks;
    expect(documents.location).toBe(runbooksDir);
    writeFileSync(join(runbooksDir, 'gamma.yml'), 'id: gamma\n');
    writeFileSync(join(runbooksDir, '.tmp-1-abc'), 'id: half\n');
    writeFileSync(join(runbooksDir, 'Upper.yaml'), 'id: upper\n');
    expect(await documents.list()).toEqual([{ id: 'gamma', file: 'gamma.yml', source: 'id: gamma\n' }]);
    expect(await documents.get('../gamma')).toBeUndefined();
    expect(await documents.create('gamma', 'id: gamma\n')).toBeUndefined();
    expect(await documents.replace('gamma', 'id: gamma\ntitle: G\n')).toBe('gamma.yml');
    expect(readFileSync(join(runbooksDir, 'gamma.yml'), 'utf8')).toBe('id: gamma\ntitle: G\n');
    expect(await documents.archive('gamma', '2026-01-01T00-00-00-000Z')).toBe(join('.archive', 'gamma.2026-01-01T00-00-00-000Z.yml'));
    expect(readdirSync(join(runbooksDir, '.archive'))).toEqual(['gamma.2026-01-01T00-00-00-000Z.yml']);
    expect(readdirSync(runbooksDir).filter((name) => name.startsWith('.tmp-'))).toEqual(['.tmp-1-abc']);
  });

  it('finds an audit line that is no longer JSON, where it is', async () => {
    const { root, dataDir, open } = folders();
    onTestFinished(() => rmSync(root, { recursive: true, force: true }));
    const log = new AuditLog((await open()).audit);
    for (const n of [1, 2, 3]) await log.append({ actor: { user: `u${n}`, via: 'token' }, from: {}, action: 'createToken', target: {}, outcome: 'ok' });
    const file = join(dataDir, 'api', 'audit.jsonl');
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    writeFileSync(file, `${[lines[0], `x${lines[1]}`, lines[2]].join('\n')}\n`);
    expect(checkChain(await log.read())).toMatchObject({ ok: false, brokenAt: 2 });
  });
});
