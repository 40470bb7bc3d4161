import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRunbook } from '@runwright/runbook';
import { screenshot } from './support/browser.js';
import { startEditorStack, type EditorStack } from './support/editor-stack.js';

let stack: EditorStack;

beforeAll(async () => {
  stack = await startEditorStack();
});

afterAll(() => stack?.stop());

const node = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);
const problemsOn = async (page: Page, id: string) => Number(await node(page, id).locator('.step-node').getAttribute('data-problems'));

/** Drags a palette entry onto the canvas at a point relative to the canvas' top-left corner. */
async function dropKind(page: Page, kind: string, x: number, y: number) {
  await page.locator(`.palette-item[data-kind="${kind}"]`).dragTo(page.locator('.react-flow__pane'), { targetPosition: { x, y } });
}

/** Draws an edge from the bottom handle of one node to the top handle of another. */
async function connect(page: Page, from: string, to: string) {
  const box = async (handle: Locator) => {
    const b = (await handle.boundingBox())!;
    return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
  };
  const start = await box(node(page, from).locator('.react-flow__handle.source'));
  const end = await box(node(page, to).locator('.react-flow__handle.target'));
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move((start.x + end.x) / 2, (start.y + end.y) / 2, { steps: 5 });
  await page.mouse.move(end.x, end.y, { steps: 5 });
  await page.mouse.up();
}

/** Drags a node by its title bar so that its top-left corner lands where `target` says (page coordinates). */
async function dragNodeTo(page: Page, id: string, target: (box: { x: number; y: number; width: number; height: number }) => Promise<{ x: number; y: number }>) {
  const box = (await node(page, id).boundingBox())!;
  const to = await target(box);
  const grip = { x: 30, y: 20 };
  await page.mouse.move(box.x + grip.x, box.y + grip.y);
  await page.mouse.down();
  await page.mouse.move(box.x + grip.x + 10, box.y + grip.y + 10, { steps: 3 });
  await page.mouse.move(to.x + grip.x, to.y + grip.y, { steps: 10 });
  await page.mouse.up();
}

describe('authoring a runbook from scratch in the editor', () => {
  it('drags three kinds from the palette, connects them, fills the forms, and sees problems come and go', async () => {
    const { page, problems } = await stack.signedInPage('admin');
    await page.getByRole('link', { name: 'New runbook' }).click();
    await page.locator('.react-flow__pane').waitFor();

    // The palette comes from the registry, grouped by category.
    expect(await page.locator('.palette section[data-category="actions"] .palette-item').allTextContents()).toEqual(
      expect.arrayContaining(['Shell command', 'HTTP request']),
    );
    expect(await page.locator('.palette section[data-category="human"] .palette-item').allTextContents()).toContain('Checkpoint');

    await dropKind(page, 'shell', 300, 60);
    await dropKind(page, 'checkpoint', 300, 230);
    await dropKind(page, 'http', 300, 400);
    expect(await page.locator('.react-flow__node').count()).toBe(3);

    // New nodes are invalid until their forms are filled in; the problems list says why.
    expect(await problemsOn(page, 'shell')).toBeGreaterThan(0);
    expect(await problemsOn(page, 'checkpoint')).toBeGreaterThan(0);
    expect(await problemsOn(page, 'http')).toBeGreaterThan(0);
    expect(await page.locator('.problems li').count()).toBeGreaterThanOrEqual(3);
    expect(await page.getByRole('button', { name: 'Start run' }).isDisabled()).toBe(true);

    await connect(page, 'shell', 'checkpoint');
    await connect(page, 'checkpoint', 'http');
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(2);

    const inspector = page.locator('.inspector');
    // Runbook settings (nothing selected): id, title, parameters.
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await inspector.locator('input[name="runbook.id"]').fill('authored');
    await inspector.locator('input[name="runbook.title"]').fill('Authored in the browser');
    for (const name of ['who', 'healthUrl']) {
      await inspector.locator('input[name="new-parameter"]').fill(name);
      await inspector.getByRole('button', { name: 'Add parameter' }).click();
    }
    await inspector.locator('input[name="parameters.who.default"]').fill('operator');

    // The shell step: rename it, give it a script (the form comes from the kind's zod schema).
    await node(page, 'shell').click();
    await inspector.locator('input[name="id"]').fill('greet');
    await inspector.locator('input[name="id"]').press('Enter');
    await node(page, 'greet').waitFor();
    await inspector.locator('textarea[name="script"]').fill('echo "hello, $WHO"');
    await inspector.locator('textarea[name="env"]').fill('WHO={{ params.who }}');
    await expect.poll(() => problemsOn(page, 'greet')).toBe(0);

    // The checkpoint: a title and one checklist item.
    await node(page, 'checkpoint').click();
    await inspector.locator('input[name="title"]').last().fill('Greeting seen?');
    await inspector.getByRole('button', { name: 'Add checklist item' }).click();
    await inspector.locator('input[name="checklist.0.id"]').fill('seen');
    await inspector.locator('input[name="checklist.0.label"]').fill('I saw the greeting');
    await expect.poll(() => problemsOn(page, 'checkpoint')).toBe(0);

    // The http step: a URL fixes it; clearing the URL brings the problem back, on the field too.
    await node(page, 'http').click();
    const url = inspector.locator('input[name="url"]');
    await url.fill('http://127.0.0.1:9/healthz');
    await expect.poll(() => problemsOn(page, 'http')).toBe(0);
    await url.fill('');
    await expect.poll(() => problemsOn(page, 'http')).toBe(1);
    await expect.poll(() => inspector.locator('[data-field="url"] .field-error').count()).toBe(1);
    await url.fill('{{ params.healthUrl }}');
    await expect.poll(() => problemsOn(page, 'http')).toBe(0);
    await url.fill('{{ params.healthURL }}'); // not a declared parameter
    await expect.poll(() => problemsOn(page, 'http')).toBe(1);
    await url.fill('{{ params.healthUrl }}');
    await expect.poll(() => problemsOn(page, 'http')).toBe(0);
    await expect.poll(() => page.locator('.problems h3').textContent()).toBe('No problems');

    // A template that names an unknown step is a problem of the shared checks too.
    await node(page, 'greet').click();
    await inspector.locator('textarea[name="env"]').fill('WHO={{ steps.nowhere.output.stdout }}');
    await expect.poll(() => problemsOn(page, 'greet')).toBeGreaterThan(0);
    await inspector.locator('textarea[name="env"]').fill('WHO={{ params.who }}');
    await expect.poll(() => problemsOn(page, 'greet')).toBe(0);

    expect(await page.locator('.editor-page').getAttribute('data-dirty')).toBe('true');
    expect(await page.getByRole('button', { name: 'Start run' }).isDisabled()).toBe(true);

    // The YAML pane shows the same document.
    await page.getByRole('button', { name: 'YAML' }).click();
    const yaml = await page.locator('textarea[name="yaml"]').inputValue();
    const loaded = loadRunbook(yaml);
    expect(loaded.ok && loaded.runbook.nodes.map((n) => [n.id, n.kind])).toEqual([
      ['greet', 'shell'],
      ['checkpoint', 'checkpoint'],
      ['http', 'http'],
    ]);
    expect(loaded.ok && loaded.runbook.edges).toEqual([
      { from: 'greet', to: 'checkpoint' },
      { from: 'checkpoint', to: 'http' },
    ]);

    // Delete from the keyboard; undo takes it back, redo does it again.
    await node(page, 'http').click();
    await page.keyboard.press('Delete');
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(2);
    // React Flow draws edges after their nodes: wait for them too.
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(1);
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(3);
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(2);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(2);
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(3);
    expect(await page.locator('.problems h3').textContent()).toBe('No problems');

    // Save writes the file through the API; the editor moves to the saved runbook.
    await page.getByRole('button', { name: 'Save' }).click();
    await Promise.race([
      page.waitForURL(/#\/runbooks\/authored$/),
      page.locator('.save-error').waitFor().then(async () => {
        throw new Error(`save failed: ${await page.locator('.save-error').textContent()}`);
      }),
    ]);
    const file = join(stack.folder, 'authored.yaml');
    const saved = loadRunbook(readFileSync(file, 'utf8'));
    expect(saved.ok && saved.runbook.nodes.map((n) => n.id)).toEqual(['greet', 'checkpoint', 'http']);
    await page.locator('[data-node-id="greet"]').waitFor();
    expect(await page.locator('.editor-page').getAttribute('data-dirty')).toBe('false');

    // Run it: the nodes turn green one by one; approve the checkpoint through its checklist form.
    await page.locator('.start-form input[name="healthUrl"]').fill(`${stack.api.url}/healthz`);
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(/#\/runs\//);
    await page.locator('[data-node-id="checkpoint"][data-status="waiting"]').waitFor();
    expect(await page.locator('[data-node-id="greet"]').getAttribute('data-status')).toBe('succeeded');
    const form = page.locator('form[data-checkpoint="checkpoint"]');
    await form.getByLabel(/I saw the greeting/).check();
    await form.getByRole('button', { name: 'Approve' }).click();
    await page.locator('.run-status.status-succeeded').waitFor();
    expect(await page.locator('[data-node-id="http"]').getAttribute('data-status')).toBe('succeeded');

    await screenshot(page, 'editor-authoring');
    expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
    await page.close();
  });

  it('puts a step inside a forEach: the canvas draws it within the group box', async () => {
    const { page, problems } = await stack.signedInPage('admin');
    await page.getByRole('link', { name: 'Hello, Runwright' }).click();
    await page.locator('[data-node-id="say-hello"]').waitFor();
    await dropKind(page, 'forEach', 650, 120);
    await node(page, 'foreach').waitFor();
    const inspector = page.locator('.inspector');
    await inspector.locator('textarea[name="items"]').fill('["a", "b"]');

    await node(page, 'check-health').click();
    await inspector.locator('select[name="parent"]').selectOption('foreach');
    await expect.poll(() => node(page, 'foreach').locator('.step-node').getAttribute('class')).toContain('group-node');
    await expect.poll(() => problemsOn(page, 'foreach')).toBe(0);
    const group = (await node(page, 'foreach').boundingBox())!;
    const child = (await node(page, 'check-health').boundingBox())!;
    expect(child.x).toBeGreaterThan(group.x);
    expect(child.y).toBeGreaterThan(group.y);
    expect(child.x + child.width).toBeLessThan(group.x + group.width);
    expect(child.y + child.height).toBeLessThan(group.y + group.height);

    // Auto-layout keeps it inside.
    await page.getByRole('button', { name: 'Auto-layout' }).click();
    await page.waitForTimeout(300); // the zoom-to-fit animation
    const group2 = (await node(page, 'foreach').boundingBox())!;
    const child2 = (await node(page, 'check-health').boundingBox())!;
    expect(child2.y).toBeGreaterThan(group2.y);
    expect(child2.y + child2.height).toBeLessThan(group2.y + group2.height);

    // Drag confirm into the group: it joins the forEach's body; its edge from say-hello, which
    // would now cross the group's boundary, goes; its edge to check-health (inside too) stays.
    // Selected through the node search: a click could land on an edge drawn over the node.
    const parentOf = async (id: string) => {
      await page.locator('.canvas-tools input[name="search"]').fill(id);
      await page.locator('.canvas-tools input[name="search"]').press('Enter');
      await inspector.locator(`input[value="${id}"]`).waitFor();
      return inspector.locator('select[name="parent"]').inputValue();
    };
    await dragNodeTo(page, 'confirm', async (box) => {
      const g = (await node(page, 'foreach').boundingBox())!;
      return { x: g.x + g.width / 2 - box.width / 2 + 30, y: g.y + g.height - box.height / 2 - 10 };
    });
    await expect.poll(() => parentOf('confirm')).toBe('foreach');
    const edge = (id: string) => page.locator(`[data-testid="rf__edge-${id}"]`);
    await expect.poll(() => edge('say-hello->confirm').count()).toBe(0);
    expect(await edge('confirm->check-health').count()).toBe(1);
    const group3 = (await node(page, 'foreach').boundingBox())!;
    const joined = (await node(page, 'confirm').boundingBox())!;
    // Drawn inside the group's box on every side (every rendered node sits in .react-flow__nodes, so that said nothing).
    expect(joined.y + joined.height).toBeLessThanOrEqual(group3.y + group3.height + 1);
    expect(joined.y).toBeGreaterThanOrEqual(group3.y - 1);
    expect(joined.x).toBeGreaterThanOrEqual(group3.x - 1);
    expect(joined.x + joined.width).toBeLessThanOrEqual(group3.x + group3.width + 1);

    // And drag check-health out of it, to open canvas: it is back in the main flow.
    const pane = (await page.locator('.react-flow__pane').boundingBox())!;
    await dragNodeTo(page, 'check-health', async () => {
      const g = (await node(page, 'foreach').boundingBox())!;
      const spots = [
        { x: pane.x + 20, y: pane.y + pane.height - 140 },
        { x: pane.x + pane.width - 260, y: pane.y + pane.height - 140 },
        { x: pane.x + 20, y: pane.y + 20 },
      ];
      const outside = spots.find((p) => p.x + 240 < g.x || p.x > g.x + g.width || p.y + 120 < g.y || p.y > g.y + g.height);
      return outside!;
    });
    await expect.poll(() => parentOf('check-health')).toBe('');
    expect(await parentOf('confirm')).toBe('foreach');
    // Undo puts check-health back in the group.
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => parentOf('check-health')).toBe('foreach');

    await screenshot(page, 'editor-for-each-group');
    expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
    await page.close();
  });
});
