import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRunbook } from '@runwright/runbook';
import { screenshot } from './support/browser.js';
import { startEditorStack, type EditorStack } from './support/editor-stack.js';

let stack: EditorStack;

beforeAll(async () => {
  stack = await startEditorStack({ worker: false, taskQueue: 'editor-yaml-unused' });
});

afterAll(() => stack?.stop());

const title = (page: Page, id: string) => page.locator(`[data-node-id="${id}"] .step-title`).textContent();

describe('the YAML pane and the canvas follow each other', () => {
  it('edits in YAML reach the canvas, bad YAML is reported and kept, and moving a node changes only layout', async () => {
    const { page, problems } = await stack.signedInPage('admin');
    await page.getByRole('link', { name: 'Hello, Runwright' }).click();
    await page.locator('[data-node-id="say-hello"]').waitFor();
    await page.getByRole('button', { name: 'YAML' }).click();
    const yaml = page.locator('textarea[name="yaml"]');
    const original = await yaml.inputValue();
    // The pane shows the file as written, comments included.
    expect(original.startsWith('# Hello: the smallest runbook')).toBe(true);
    expect(await page.locator('.editor-page').getAttribute('data-dirty')).toBe('false');

    // YAML → canvas.
    await yaml.fill(original.replace('title: Say hello', 'title: Say hi there'));
    await expect.poll(() => title(page, 'say-hello')).toBe('Say hi there');
    expect(await page.locator('.editor-page').getAttribute('data-dirty')).toBe('true');

    // Text that is not YAML is reported; the pane keeps it and the canvas keeps the last good document.
    const broken = (await yaml.inputValue()).replace('edges:', 'edges: [');
    await yaml.fill(broken);
    await page.locator('.yaml-error').waitFor();
    expect(await yaml.inputValue()).toBe(broken);
    expect(await page.locator('.react-flow__node').count()).toBe(3);
    expect(await title(page, 'say-hello')).toBe('Say hi there');

    // Fixing the text (and adding a node in it) brings the canvas along.
    const withNode = broken
      .replace('edges: [', 'edges:')
      .replace('edges:\n', '  - id: wrap-up\n    kind: shell\n    config:\n      command: ["true"]\nedges:\n  - from: check-health\n    to: wrap-up\n');
    await yaml.fill(withNode);
    await page.locator('[data-node-id="wrap-up"]').waitFor();
    expect(await page.locator('.yaml-error').count()).toBe(0);
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(3);
    expect(await page.locator('.problems h3').textContent()).toBe('No problems');

    // A problem typed in YAML shows on the canvas node it concerns.
    await yaml.fill(withNode.replace('command: ["true"]', 'command: []'));
    await expect.poll(() => page.locator('[data-node-id="wrap-up"]').getAttribute('data-problems')).toBe('1');
    await yaml.fill(withNode);
    await expect.poll(() => page.locator('[data-node-id="wrap-up"]').getAttribute('data-problems')).toBe('0');

    // Canvas → YAML: dragging a node rewrites only its position; the plan hash stays.
    const before = await yaml.inputValue();
    const box = (await page.locator('[data-node-id="confirm"]').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + 10);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 150, box.y + 40, { steps: 8 });
    await page.mouse.up();
    await expect.poll(() => yaml.inputValue()).not.toBe(before);
    const after = await yaml.inputValue();
    const [a, b] = [parse(before), parse(after)];
    expect(b.layout.nodes.confirm).not.toEqual(a.layout.nodes.confirm);
    expect({ ...b, layout: undefined }).toEqual({ ...a, layout: undefined });
    const changedLines = after.split('\n').filter((line, i) => line !== before.split('\n')[i]);
    expect(changedLines).toHaveLength(1);
    expect(changedLines[0]).toMatch(/^\s+confirm: \{ x: -?\d+, y: -?\d+ \}$/);
    const [ra, rb] = [loadRunbook(before), loadRunbook(after)];
    expect(ra.ok && rb.ok && ra.planHash === rb.planHash).toBe(true);
    // The comment at the top survived both directions.
    expect(after.startsWith('# Hello: the smallest runbook')).toBe(true);

    // Undo puts the node back, in the YAML too.
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+z');
    await expect.poll(() => yaml.inputValue()).toBe(before);

    // Copy and paste a node with the keyboard: a copy with a fresh id, beside the original.
    // The drag may have auto-panned the narrow canvas (more so on a loaded machine): bring every node into view first.
    await page.getByRole('button', { name: 'Zoom to fit' }).click();
    const canvas = (await page.locator('.editor-body .canvas').boundingBox())!;
    await expect
      .poll(async () => {
        const b = (await page.locator('[data-node-id="confirm"]').boundingBox())!;
        return b.x >= canvas.x && b.x + b.width <= canvas.x + canvas.width;
      })
      .toBe(true);
    await page.locator('[data-node-id="confirm"]').click();
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await page.locator('[data-node-id="confirm-copy"]').waitFor();
    expect(await yaml.inputValue()).toContain('- id: confirm-copy');
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.locator('[data-node-id="confirm-copy"]').count()).toBe(0);

    await screenshot(page, 'editor-yaml-round-trip');

    // Leaving with unsaved changes asks first; saying no keeps the page and its changes.
    expect(await page.locator('.editor-page').getAttribute('data-dirty')).toBe('true');
    page.once('dialog', (dialog) => void dialog.dismiss());
    await page.getByRole('link', { name: 'Runbooks' }).click();
    await page.waitForTimeout(200); // the page would have changed by now
    expect(await title(page, 'say-hello')).toBe('Say hi there');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('link', { name: 'Runbooks' }).click();
    await page.getByRole('heading', { name: 'Runbooks' }).waitFor();
    expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
    await page.close();
  });

  it('moving nodes and saving changes only their layout lines in the file on disk', async () => {
    const file = join(stack.folder, 'hello.yaml');
    const before = readFileSync(file, 'utf8');
    const { page, problems } = await stack.signedInPage('admin');
    await page.getByRole('link', { name: 'Hello, Runwright' }).click();
    const box = (await page.locator('[data-node-id="check-health"]').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + 10);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 200, box.y + 60, { steps: 8 });
    await page.mouse.up();
    await expect.poll(() => page.locator('.editor-page').getAttribute('data-dirty')).toBe('true');
    await page.keyboard.press('Control+s');
    await expect.poll(() => page.locator('.editor-page').getAttribute('data-dirty')).toBe('false');

    const after = readFileSync(file, 'utf8');
    const changed = after.split('\n').filter((line, i) => line !== before.split('\n')[i]);
    expect(after.split('\n')).toHaveLength(before.split('\n').length);
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatch(/^\s+check-health: \{ x: -?\d+, y: -?\d+ \}$/);
    const [a, b] = [loadRunbook(before), loadRunbook(after)];
    expect(a.ok && b.ok && a.planHash === b.planHash).toBe(true);
    await screenshot(page, 'editor-save-layout-only');
    expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
    await page.close();
  });
});
