import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRunbook } from '@runwright/runbook';
import { openPage, screenshot, signIn } from './support/browser.js';
import { startEditorStack, type EditorStack } from './support/editor-stack.js';

// A change, an approval, and a second change: a dry run must touch neither file.
const rehearse = `# Touches two files around an approval; rehearsed as a dry run, it touches nothing.
id: rehearse
title: Rehearse a change
parameters:
  target:
    type: string
nodes:
  - id: change
    kind: shell
    title: Make the change
    config:
      command: ["touch", "{{ params.target }}"]
  - id: confirm
    kind: checkpoint
    config:
      title: Go on?
      instructions: Look at what the change would do.
      checklist: []
  - id: finish
    kind: shell
    config:
      command: ["touch", "{{ params.target }}-finished"]
edges:
  - from: change
    to: confirm
  - from: confirm
    to: finish
`;

const target = join(tmpdir(), `runwright-e2e-dry-run-${process.pid}`);
let stack: EditorStack;

beforeAll(async () => {
  expect(loadRunbook(rehearse).ok).toBe(true);
  stack = await startEditorStack({ runbooks: { files: { 'rehearse.yaml': rehearse } } });
});

afterAll(async () => {
  await stack?.stop();
  rmSync(target, { force: true });
  rmSync(`${target}-finished`, { force: true });
});

/** Every request the page makes, by path, so a test can say what was (not) fetched. */
function recordRequests(page: Page): string[] {
  const paths: string[] = [];
  page.on('request', (request) => paths.push(new URL(request.url()).pathname));
  return paths;
}

async function startFromEditor(page: Page, dryRun: boolean): Promise<string> {
  await page.goto(`${stack.api.url}/#/runbooks/rehearse`);
  await page.locator('.start-form input[name="target"]').fill(target);
  if (dryRun) await page.getByLabel('Dry run').check();
  await page.getByRole('button', { name: dryRun ? 'Start dry run' : 'Start run' }).click();
  await page.waitForURL(/#\/runs\//);
  return decodeURIComponent(page.url().split('#/runs/')[1]!);
}

const approve = (runId: string, planHash: string) =>
  stack.api.call('POST', `/api/runs/${encodeURIComponent(runId)}/checkpoints/confirm/decision`, { decision: 'approve', planHash }, stack.api.tokens.approver);

describe('the run page', () => {
  it('loads only the chunks a page needs, starts a dry run, and follows it live through server-sent events', async () => {
    rmSync(target, { force: true });
    const { page, problems } = await stack.signedInPage('admin');
    // Loaded afresh on the runbooks list: it needs neither the canvas nor the YAML parser.
    const requested = recordRequests(page);
    await page.reload();
    await page.locator('[data-runbook="rehearse"]').waitFor();
    const listChunks = requested.filter((p) => p.startsWith('/assets/') && p.endsWith('.js'));
    console.log(`runbooks list loaded ${listChunks.length} scripts: ${listChunks.map((p) => p.replace('/assets/', '')).join(', ')}`);
    expect(listChunks.some((p) => /\/index-/.test(p))).toBe(true);
    expect(listChunks.some((p) => /\/(flow|yaml|layout)-/.test(p))).toBe(false);

    const runId = await startFromEditor(page, true);
    expect(requested.some((p) => /\/assets\/flow-.*\.js$/.test(p))).toBe(true);
    const runPage = page.locator('.run-page');
    await page.locator('[data-node-id="confirm"][data-status="waiting"]').waitFor({ timeout: 20_000 });
    expect(await runPage.getAttribute('data-dry-run')).toBe('true');
    expect(await runPage.getAttribute('data-live')).toBe('stream');
    expect(await page.locator('.dry-run-banner').textContent()).toContain('Dry run');
    expect(await page.locator('.run-status.dry-run-tag').textContent()).toBe('dry run');
    // The action recorded what it would have done, and did not do it.
    await page.locator('[data-node-id="change"]').click();
    await expect.poll(() => page.locator('.inspector .output').textContent()).toContain('wouldRun');
    expect(existsSync(target)).toBe(false);

    // Approved behind the page's back: the stream brings the change, without reloading or polling.
    const { state } = (await stack.api.call('GET', `/api/runs/${encodeURIComponent(runId)}`)).body as { state: { planHash: string } };
    expect((await approve(runId, state.planHash)).status).toBe(200);
    await page.locator('.run-status.status-succeeded').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-node-id="finish"]').getAttribute('data-status')).toBe('succeeded');
    await expect.poll(() => runPage.getAttribute('data-live')).toBe('closed');
    const runPath = `/api/runs/${encodeURIComponent(runId)}`;
    expect(requested.filter((p) => p === `${runPath}/stream`).length).toBe(1);
    expect(requested.filter((p) => p === runPath).length).toBe(0);
    expect(existsSync(target) || existsSync(`${target}-finished`)).toBe(false);
    await screenshot(page, 'editor-dry-run');

    // The runs list tags it as a dry run, and its filter keeps it apart from real runs.
    await page.goto(`${stack.api.url}/#/runs`);
    const row = page.locator(`tr[data-run-id="${runId}"]`);
    expect(await row.locator('.dry-run-tag').textContent()).toBe('dry run');
    await page.locator('select[name="dryRun"]').selectOption('false');
    await row.waitFor({ state: 'detached' });
    await page.locator('select[name="dryRun"]').selectOption('true');
    await row.waitFor();
    await screenshot(page, 'editor-runs-dry-runs');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('falls back to polling when the stream cannot be read', async () => {
    rmSync(target, { force: true });
    const { page, problems } = await openPage(stack.browser, `${stack.api.url}/`);
    const requested = recordRequests(page);
    await signIn(page, stack.api.tokens.admin);
    // A proxy that refuses long-lived responses: the stream fails, the page must still follow the run.
    await page.route('**/api/runs/*/stream', (route) => route.abort('connectionrefused'));
    const runId = await startFromEditor(page, true);
    await page.locator('[data-node-id="confirm"][data-status="waiting"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('.run-page').getAttribute('data-live')).toBe('polling');
    const { state } = (await stack.api.call('GET', `/api/runs/${encodeURIComponent(runId)}`)).body as { state: { planHash: string } };
    expect((await approve(runId, state.planHash)).status).toBe(200);
    await page.locator('.run-status.status-succeeded').waitFor({ timeout: 20_000 });
    const polls = requested.filter((p) => p === `/api/runs/${encodeURIComponent(runId)}`).length;
    console.log(`polling fallback: ${polls} state requests until the run finished`);
    expect(polls).toBeGreaterThan(1);
    expect(problems.filter((p) => !/ERR_CONNECTION_REFUSED/.test(p))).toEqual([]);
    await page.close();
  });

  it('goes back to the stream once it answers again, and stops polling', async () => {
    rmSync(target, { force: true });
    const { page, problems } = await openPage(stack.browser, `${stack.api.url}/`);
    // The page's clock runs as usual but can be jumped ahead, to show polling has really stopped.
    await page.clock.install();
    await page.reload();
    const requested = recordRequests(page);
    await signIn(page, stack.api.tokens.admin);
    // The stream is cut for a while (a proxy restarting): the page polls and keeps retrying it.
    const streamRoute = '**/api/runs/*/stream';
    await page.route(streamRoute, (route) => route.abort('connectionrefused'));
    const runId = await startFromEditor(page, true);
    const runPath = `/api/runs/${encodeURIComponent(runId)}`;
    const runPage = page.locator('.run-page');
    await page.locator('[data-node-id="confirm"][data-status="waiting"]').waitFor({ timeout: 20_000 });
    expect(await runPage.getAttribute('data-live')).toBe('polling');
    await expect.poll(() => requested.filter((p) => p === `${runPath}/stream`).length, { timeout: 20_000 }).toBeGreaterThan(1);
    const triesWhileCut = requested.filter((p) => p === `${runPath}/stream`).length;

    await page.unroute(streamRoute);
    await expect.poll(() => runPage.getAttribute('data-live'), { timeout: 30_000 }).toBe('stream');
    console.log(`stream reconnect: ${triesWhileCut} tries while cut, ${requested.filter((p) => p === runPath).length} polls meanwhile`);
    // From now on the state endpoint refuses: only the stream can bring the run's end to the page.
    let pollsAfter = 0;
    await page.route(
      (url) => url.pathname === runPath,
      (route) => (pollsAfter++, route.abort('connectionrefused')),
    );
    // Well past several poll intervals at once: a poll loop still alive would ask now.
    await page.clock.fastForward(10_000);
    const { state } = (await stack.api.call('GET', runPath)).body as { state: { planHash: string } };
    expect((await approve(runId, state.planHash)).status).toBe(200);
    await page.locator('.run-status.status-succeeded').waitFor({ timeout: 20_000 });
    await expect.poll(() => runPage.getAttribute('data-live')).toBe('closed');
    // Polling stops before the page says `stream`, so not even a late poll reaches the route.
    expect(pollsAfter).toBe(0);
    expect(problems.filter((p) => !/ERR_CONNECTION_REFUSED/.test(p))).toEqual([]);
    await page.close();
  });

  it('draws the version the run started with, and says when the file has changed since', async () => {
    rmSync(target, { force: true });
    const { page, problems } = await stack.signedInPage('admin');
    const runId = await startFromEditor(page, true);
    await page.locator('[data-node-id="confirm"][data-status="waiting"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('.run-page').getAttribute('data-drawn-from')).toBe('run');
    expect(await page.locator('.version-note').count()).toBe(0);

    // The file changes while the run waits: one node more.
    const changed = rehearse.replace('  - id: finish', '  - id: extra\n    kind: shell\n    config:\n      command: ["true"]\n  - id: finish');
    expect((await stack.api.call('PUT', '/api/runbooks/rehearse', { source: changed })).status).toBe(200);
    await page.reload();
    await page.locator('.version-note[data-version-note="run"]').waitFor();
    expect(await page.locator('[data-node-id="extra"]').count()).toBe(0);
    expect(await page.locator('.react-flow__node').count()).toBe(3);
    await screenshot(page, 'editor-run-pinned-version');

    const { state } = (await stack.api.call('GET', `/api/runs/${encodeURIComponent(runId)}`)).body as { state: { planHash: string } };
    expect((await approve(runId, state.planHash)).status).toBe(200);
    await page.locator('.run-status.status-succeeded').waitFor({ timeout: 20_000 });
    expect((await stack.api.call('PUT', '/api/runbooks/rehearse', { source: rehearse })).status).toBe(200);
    expect(problems).toEqual([]);
    await page.close();
  });
});
