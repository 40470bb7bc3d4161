import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRunbook } from '@runwright/runbook';
import { screenshot } from './support/browser.js';
import { startEditorStack, type EditorStack } from './support/editor-stack.js';

// A rollout with a gate after each batch, as a person meets it in the editor: the plan preview
// lists the gates and how often the sign-off waits; the run page shows each gate's state under
// the forEach's items and takes each batch's sign-off through the checkpoint form.
const gated = `# Three hosts one by one; after each batch a short soak and a sign-off.
id: gated-rollout
title: Gated rollout
parameters:
  hosts:
    type: list
    default: [web-1, web-2, web-3]
  soak:
    type: string
    default: 300ms
nodes:
  - id: rollout
    kind: forEach
    config:
      items: params.hosts
      batchSize: 1
      afterEachBatch:
        observe:
          duration: "{{ params.soak }}"
          interval: 100ms
          guards:
            - name: alive
              check: { kind: shell, config: { command: ["true"] } }
        checkpoint:
          title: Batch looks healthy?
          checklist:
            - id: dashboards
              label: Dashboards are green
  - id: deploy
    kind: shell
    parent: rollout
    config:
      command: ["echo", "deploy {{ item }}"]
`;

let stack: EditorStack;

beforeAll(async () => {
  expect(loadRunbook(gated).ok).toBe(true);
  stack = await startEditorStack({ runbooks: { files: { 'gated-rollout.yaml': gated } } });
});

afterAll(() => stack?.stop());

describe('gates after each batch in the editor', () => {
  it('previews the gates, then shows each gate per batch and takes its sign-off', async () => {
    const { page, problems } = await stack.signedInPage('admin');
    await page.goto(`${stack.api.url}/#/runbooks/gated-rollout`);
    await page.locator('[data-node-id="rollout"]').waitFor();

    await page.getByRole('button', { name: 'Preview plan' }).click();
    const plan = page.locator('.plan-preview');
    const gates = plan.locator('[data-plan-gate]');
    expect(await gates.evaluateAll((els) => els.map((e) => e.getAttribute('data-plan-gate')))).toEqual(['rollout.batch-1', 'rollout.batch-2', 'rollout.batch-3']);
    expect(await gates.first().textContent()).toBe('after batch 1: rollout.batch-1 — soak 300ms, polling every 100ms (alive), then sign-off "Batch looks healthy?"');
    expect(await gates.last().textContent()).toBe('after batch 3: rollout.batch-3 — soak 300ms, polling every 100ms (alive)');
    expect(await plan.locator('[data-plan-checkpoint="rollout.batch-<n>"]').textContent()).toContain('2 times, after batches 1, 2 of rollout (not after the last)');
    await screenshot(page, 'editor-batch-gates-plan');

    await page.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(/#\/runs\//);
    // The group's middle is covered by its inner nodes: select it by its title.
    await page.locator('[data-node-id="rollout"] .step-kind').click();
    for (const batch of [1, 2]) {
      const form = page.locator(`form[data-checkpoint="rollout.batch-${batch}"]`);
      await form.waitFor({ timeout: 20_000 });
      expect(await form.locator('h2').textContent()).toBe(`Batch looks healthy? — rollout after batch ${batch} of 3`);
      await page.locator(`.inspector [data-gate="rollout.batch-${batch}"][data-gate-status="waiting"]`).waitFor();
      expect(await page.locator(`.inspector [data-gate="rollout.batch-${batch}"]`).textContent()).toMatch(new RegExp(`^after batch ${batch}: rollout.batch-${batch} waiting for sign-off · \\d+ polls passed$`));
      if (batch === 2) await screenshot(page, 'editor-batch-gates-waiting');
      await form.getByLabel(/Dashboards are green/).check();
      await form.getByRole('button', { name: 'Approve' }).click();
      await form.waitFor({ state: 'detached' });
    }
    await page.locator('.run-status.status-succeeded').waitFor({ timeout: 20_000 });
    const shown = page.locator('.inspector [data-gate]');
    expect(await shown.evaluateAll((els) => els.map((e) => [e.getAttribute('data-gate'), e.getAttribute('data-gate-status')]))).toEqual([
      ['rollout.batch-1', 'passed'],
      ['rollout.batch-2', 'passed'],
      ['rollout.batch-3', 'passed'],
    ]);
    expect(await shown.first().textContent()).toMatch(/passed · \d+ polls passed · approved by bootstrap$/);
    await screenshot(page, 'editor-batch-gates-done');
    expect(problems).toEqual([]);
    await page.close();
  });
});
