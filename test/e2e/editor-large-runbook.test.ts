import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRunbook } from '@runwright/runbook';
import { screenshot } from './support/browser.js';
import { startEditorStack, type EditorStack } from './support/editor-stack.js';

const width = 10;
const depth = 30;

/** 300 shell steps in 30 layers of 10; each step waits for the one above it and its neighbour's. */
function largeRunbook(): string {
  const id = (layer: number, column: number) => `step-${layer}-${column}`;
  const nodes = [];
  const edges = [];
  for (let layer = 0; layer < depth; layer++) {
    for (let column = 0; column < width; column++) {
      nodes.push({ id: id(layer, column), kind: 'shell', title: `Step ${layer}.${column}`, config: { command: ['true'] } });
      if (layer > 0) {
        edges.push({ from: id(layer - 1, column), to: id(layer, column) });
        if (column > 0) edges.push({ from: id(layer - 1, column - 1), to: id(layer, column) });
      }
    }
  }
  return `# 300 steps, for the editor's large-runbook test.\n${stringify({ id: 'large', title: 'Three hundred steps', nodes, edges })}`;
}

let stack: EditorStack;

beforeAll(async () => {
  const text = largeRunbook();
  expect(loadRunbook(text).ok).toBe(true);
  stack = await startEditorStack({ worker: false, taskQueue: 'editor-large-unused', runbooks: { files: { 'large.yaml': text } } });
});

afterAll(() => stack?.stop());

describe('a 300-node runbook in the editor', () => {
  it('opens, selects, edits and lays out (figures in the log; nothing asserted about time)', async () => {
    const { page, problems } = await stack.signedInPage('admin');
    const figures: Record<string, number> = {};
    const timed = async (name: string, action: () => Promise<unknown>) => {
      const started = performance.now();
      await action();
      figures[name] = Math.round(performance.now() - started);
    };

    await timed('open (list → 300 nodes on the canvas)', async () => {
      await page.getByRole('link', { name: 'Three hundred steps' }).click();
      await expect.poll(() => page.locator('.react-flow__node').count(), { timeout: 60_000 }).toBe(300);
    });
    expect(await page.locator('.react-flow__edge').count()).toBe(29 * 10 + 29 * 9);
    expect(await page.locator('.problems h3').textContent()).toBe('No problems');

    await timed('find a node and open it in the inspector', async () => {
      await page.locator('input[name="search"]').fill('step-29-9');
      await page.locator('input[name="search"]').press('Enter');
      await page.locator('[data-inspecting="step-29-9"]').waitFor();
    });

    await timed('type a bad value and see the problem on the node', async () => {
      await page.locator('.inspector textarea[name="command"]').fill('');
      await expect.poll(() => page.locator('[data-node-id="step-29-9"]').getAttribute('data-problems')).not.toBe('0');
    });
    await page.locator('.inspector textarea[name="command"]').fill('true');
    await expect.poll(() => page.locator('[data-node-id="step-29-9"]').getAttribute('data-problems')).toBe('0');

    // A node's transform is its position in flow coordinates, whatever the zoom.
    const placeOf = () => page.locator('.react-flow__node[data-id="step-29-0"]').evaluate((el) => (el as HTMLElement).style.transform);
    const before = await placeOf();
    expect(await page.locator('.editor-page').getAttribute('data-dirty')).toBe('false');
    await timed('auto-layout 300 nodes', async () => {
      await page.getByRole('button', { name: 'Auto-layout' }).click();
      await expect.poll(placeOf).not.toBe(before);
    });

    await timed('undo the layout', async () => {
      await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('Control+z');
      await expect.poll(placeOf).toBe(before);
    });
    // Every change was undone or typed back: nothing is left unsaved.
    expect(await page.locator('.editor-page').getAttribute('data-dirty')).toBe('false');

    console.log(`editor, 300-node runbook: ${JSON.stringify(figures)}`);
    await screenshot(page, 'editor-large-runbook');
    expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
    await page.close();
  });
});
