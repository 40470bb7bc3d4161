import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './support/browser.js';
import { startEditorStack, type EditorStack } from './support/editor-stack.js';

const first = `# Builds, tests and deploys; a later version adds a smoke test and drops the notification.
id: release
title: Release
nodes:
  - id: build
    kind: shell
    config:
      command: ["make"]
  - id: deploy
    kind: shell
    config:
      command: ["deploy"]
  - id: notify
    kind: shell
    config:
      command: ["true"]
edges:
  - from: build
    to: deploy
  - from: deploy
    to: notify
layout:
  nodes:
    build: { x: 0, y: 0 }
    deploy: { x: 0, y: 140 }
    notify: { x: 0, y: 280 }
`;
const second = first
  .replace('command: ["deploy"]', 'command: ["deploy", "--canary"]')
  .replace(/  - id: notify\n    kind: shell\n    config:\n      command: \["true"\]\n/, '  - id: smoke\n    kind: http\n    config:\n      url: http://127.0.0.1/healthz\n')
  .replace('    to: notify', '    to: smoke')
  .replace('    notify: { x: 0, y: 280 }', '    smoke: { x: 260, y: 280 }');

let stack: EditorStack;

beforeAll(async () => {
  stack = await startEditorStack({ worker: false, taskQueue: `e2e-history-${process.pid}`, runbooks: { files: { 'release.yaml': first } } });
});

afterAll(() => stack?.stop());

describe('version history', () => {
  it('lists saved versions and shows the difference of two on the canvas and as text', async () => {
    // The file as found on disk is the first version; a save through the API makes the second.
    expect((await stack.api.call('GET', '/api/runbooks/release/versions')).body.versions).toHaveLength(1);
    expect((await stack.api.call('PUT', '/api/runbooks/release', { source: second }, stack.api.tokens.admin)).status).toBe(200);

    const { page, problems } = await stack.signedInPage('viewer');
    await page.goto(`${stack.api.url}/#/runbooks/release`);
    await page.getByRole('link', { name: 'History' }).click();
    await page.waitForURL(/#\/runbooks\/release\/history$/);
    const rows = page.locator('table.versions tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    // Newest first, with who saved it; compared newest against the one before by default.
    expect(await rows.nth(0).locator('td').nth(5).textContent()).toBe('bootstrap');
    expect(await rows.nth(1).locator('td').nth(5).textContent()).toBe('edited on disk');

    const mark = (id: string) => page.locator(`[data-node-id="${id}"]`).getAttribute('data-diff');
    await page.locator('[data-node-id="smoke"]').waitFor();
    expect(await mark('build')).toBe('same');
    expect(await mark('deploy')).toBe('changed');
    expect(await mark('smoke')).toBe('added');
    expect(await mark('notify')).toBe('removed');
    expect(JSON.parse((await page.locator('.diff-summary').getAttribute('data-counts'))!)).toEqual({ added: 1, removed: 1, changed: 1, moved: 0 });
    expect(await page.locator('.react-flow__edge.diff-removed').count()).toBe(1);
    const added = await page.locator('.text-diff .line-added').allTextContents();
    const removed = await page.locator('.text-diff .line-removed').allTextContents();
    expect(added).toContain('+      command: ["deploy", "--canary"]');
    expect(removed).toContain('-      command: ["deploy"]');
    await screenshot(page, 'editor-version-history');

    // Choosing the same version on both sides shows no difference.
    await rows.nth(0).getByRole('radio', { name: /compare from/ }).check();
    await expect.poll(() => page.locator('.diff-summary').count()).toBe(0);
    expect(await page.locator('.text-diff').count()).toBe(0);
    // And swapping the sides turns additions into removals.
    await rows.nth(1).getByRole('radio', { name: /compare to/ }).check();
    await expect.poll(() => mark('smoke')).toBe('removed');
    expect(await mark('notify')).toBe('added');
    expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
    await page.close();
  });
});
