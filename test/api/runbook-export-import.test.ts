import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiStack, type ApiStack } from '../support/api-stack.js';
import { runCli, runwright } from '../support/cli.js';
import { runbooksFolder } from '../support/runbooks.js';
import { startStateDatabaseServer, type StateDatabaseServer } from '../support/state-database.js';

// The API keeps its state (runbooks included) in PostgreSQL here: export and import are how
// runbooks still go through Git review when they are rows, not files.
let postgres: StateDatabaseServer;
let stack: ApiStack;
let scratch: string;
const shipped = readdirSync(runbooksFolder).filter((name) => name.endsWith('.yaml')).sort();

beforeAll(async () => {
  postgres = await startStateDatabaseServer();
  const database = postgres.database();
  stack = await startApiStack({ worker: false, settings: { RUNWRIGHT_DATABASE_URL: database.settings.RUNWRIGHT_DATABASE_URL!, RUNWRIGHT_DATABASE_POOL_SIZE: '4' } });
  scratch = mkdtempSync(join(tmpdir(), 'runwright-export-'));
}, 180_000);
afterAll(async () => {
  await stack?.stop();
  postgres?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const admin = () => stack.api.tokens.admin;

describe('runwright import / export with the database backend', () => {
  it('imports the shipped runbooks and exports them back byte for byte', async () => {
    expect((await stack.api.call('GET', '/api/runbooks')).body.runbooks).toEqual([]);
    const dry = await runwright(stack.api, ['import', runbooksFolder, '--dry-run'], admin());
    expect(dry.code).toBe(0);
    expect(dry.stdout.trim().split('\n')).toEqual(shipped.map((name) => `would be created: ${name}`));
    expect((await stack.api.call('GET', '/api/runbooks')).body.runbooks).toEqual([]);

    const imported = await runwright(stack.api, ['import', runbooksFolder], admin());
    expect(imported.code).toBe(0);
    expect(imported.stderr).toContain(`${shipped.length} created, 0 updated, 0 unchanged`);
    const listed = (await stack.api.call('GET', '/api/runbooks')).body.runbooks as { id: string; problems: unknown[] }[];
    expect(listed.map((r) => `${r.id}.yaml`)).toEqual(shipped);
    expect(listed.every((r) => r.problems.length === 0)).toBe(true);

    const out = join(scratch, 'exported');
    const exported = await runwright(stack.api, ['export', out], stack.api.tokens.viewer);
    expect(exported.code).toBe(0);
    expect(exported.stderr).toContain(`exported ${shipped.length} runbook(s) to ${out}`);
    expect(readdirSync(out).sort()).toEqual(shipped);
    for (const name of shipped) expect(readFileSync(join(out, name), 'utf8'), name).toBe(readFileSync(join(runbooksFolder, name), 'utf8'));

    const again = await runwright(stack.api, ['import', runbooksFolder], admin());
    expect(again.stderr).toContain(`0 created, 0 updated, ${shipped.length} unchanged`);
  });

  it('imports a changed file as a new version, keeping the one before', async () => {
    const folder = join(scratch, 'changed');
    cpSync(runbooksFolder, folder, { recursive: true });
    const before = readFileSync(join(folder, 'hello.yaml'), 'utf8');
    const after = before.replace(/^title: .*$/m, 'title: Hello, reviewed in Git');
    writeFileSync(join(folder, 'hello.yaml'), after);

    const imported = await runwright(stack.api, ['import', folder], admin());
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('updated: hello.yaml');
    expect(imported.stderr).toContain(`0 created, 1 updated, ${shipped.length - 1} unchanged`);
    expect((await stack.api.call('GET', '/api/runbooks/hello')).body.source).toBe(after);

    const versions = (await stack.api.call('GET', '/api/runbooks/hello/versions')).body.versions as { versionHash: string; savedBy: string }[];
    const sources = await Promise.all(versions.map(async (v) => (await stack.api.call('GET', `/api/runbooks/hello/versions/${v.versionHash}`)).body.source as string));
    expect(sources.slice(-2)).toEqual([before, after]);
    expect(versions.at(-1)!.savedBy).toBe('bootstrap');

    const exported = join(scratch, 'after-change');
    await runwright(stack.api, ['export', exported], admin());
    expect(readFileSync(join(exported, 'hello.yaml'), 'utf8')).toBe(after);
    // Put it back for the tests after this one.
    expect((await runwright(stack.api, ['import', runbooksFolder], admin())).stderr).toContain('1 updated');
  });

  it('refuses a folder with an invalid file, listing its problems, and imports nothing of it', async () => {
    const folder = join(scratch, 'invalid');
    cpSync(runbooksFolder, folder, { recursive: true });
    writeFileSync(join(folder, 'hello.yaml'), readFileSync(join(folder, 'hello.yaml'), 'utf8').replace(/^title: .*$/m, 'title: Changed but never imported'));
    writeFileSync(join(folder, 'broken.yaml'), 'id: broken\ntitle: Broken\nnodes:\n  - id: a\n    kind: shell\n    config: {}\nedges:\n  - from: a\n    to: nowhere\n');
    writeFileSync(join(folder, 'renamed.yaml'), 'id: other-name\ntitle: T\nnodes:\n  - id: a\n    kind: checkpoint\n    config: { title: ok }\n');

    const refused = await runwright(stack.api, ['import', folder], admin());
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/broken\.yaml: nodes\.0\.config\.\w+: /);
    expect(refused.stdout).toContain(`${join(folder, 'renamed.yaml')}: id: id "other-name" does not match the file name renamed.yaml`);
    expect(refused.stderr).toContain(`2 of ${shipped.length + 2} file(s) have problems: nothing was imported`);
    expect((await stack.api.call('GET', '/api/runbooks/hello')).body.source).toBe(readFileSync(join(runbooksFolder, 'hello.yaml'), 'utf8'));
    expect((await stack.api.call('GET', '/api/runbooks/broken')).status).toBe(404);
  });

  it('needs a role that may edit runbooks to import, and one that may read them to export', async () => {
    const folder = join(scratch, 'by-viewer');
    cpSync(runbooksFolder, folder, { recursive: true });
    writeFileSync(join(folder, 'hello.yaml'), readFileSync(join(folder, 'hello.yaml'), 'utf8').replace(/^title: .*$/m, 'title: Changed by a viewer'));
    const viewer = await runwright(stack.api, ['import', folder], stack.api.tokens.viewer);
    expect(viewer.code).toBe(2);
    expect(viewer.stderr).toMatch(/forbidden \(HTTP 403\)/);
    expect((await stack.api.call('GET', '/api/runbooks/hello')).body.source).toBe(readFileSync(join(runbooksFolder, 'hello.yaml'), 'utf8'));
    const anonymous = await runCli(['export', join(scratch, 'nobody')], { RUNWRIGHT_URL: stack.api.url });
    expect(anonymous.code).toBe(2);
    expect(anonymous.stderr).toContain('an API token is needed');
    expect(existsSync(join(scratch, 'nobody'))).toBe(false);
  });
});

describe('runwright export --printable', () => {
  it('prints a runbook by id through the API, and from a file with no API at all', async () => {
    const byId = await runwright(stack.api, ['export', '--printable', 'postgres-failover'], stack.api.tokens.viewer);
    expect(byId.code).toBe(0);
    expect(byId.stdout).toMatch(/^# PostgreSQL failover to the standby\n/);
    expect(byId.stdout).toContain('- [ ] I read both lag checks and accept the data that may be lost');

    // Runwright down: no URL, no token, only the file.
    const html = join(scratch, 'failover.html');
    const offline = await runCli(['export', '--printable', join(runbooksFolder, 'postgres-failover.yaml'), '--format', 'html', '--out', html]);
    expect(offline).toMatchObject({ code: 0, stdout: '' });
    expect(readFileSync(html, 'utf8')).toMatch(/^<!doctype html>/);
    expect(readFileSync(html, 'utf8')).toContain('Approve the failover');

    const broken = join(scratch, 'broken.yaml');
    writeFileSync(broken, 'id: broken\ntitle: Broken\nnodes: []\n');
    const refused = await runCli(['export', '--printable', broken]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${broken} has problems, so it is not printed:\n  nodes: a runbook needs at least one node`);
  });

  it('writes a printable binder of every runbook beside the exported files', async () => {
    const out = join(scratch, 'binder');
    const exported = await runwright(stack.api, ['export', out, '--with-printable'], stack.api.tokens.viewer);
    expect(exported.code).toBe(0);
    const ids = shipped.map((name) => name.replace(/\.yaml$/, ''));
    expect(readdirSync(join(out, 'printable')).sort()).toEqual(ids.flatMap((id) => [`${id}.html`, `${id}.md`]).sort());
    expect(exported.stderr).toContain(`and ${shipped.length} printable document(s)`);
    // The folder still imports as it is: the binder is beside the runbooks, not among them.
    expect((await runwright(stack.api, ['import', out], admin())).stderr).toContain(`${shipped.length} unchanged`);
  });
});
