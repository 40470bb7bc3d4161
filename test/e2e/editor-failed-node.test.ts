import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRunbook } from '@runwright/runbook';
import { screenshot } from './support/browser.js';
import { startEditorStack, type EditorStack } from './support/editor-stack.js';

// A step that fails until a marker file exists; on failure the run asks a person what to do.
const flaky = `# Fails until the marker file exists, then asks an operator: retry, skip, roll back or abort.
id: flaky
title: Flaky step
parameters:
  marker:
    type: string
nodes:
  - id: check-marker
    kind: shell
    title: Check the marker
    onFailure: ask
    retry:
      maximumAttempts: 1
    config:
      command: ["test", "-f", "{{ params.marker }}"]
  - id: after
    kind: shell
    config:
      command: ["true"]
edges:
  - from: check-marker
    to: after
`;

// A change with a rollback action, then the flaky check: "roll back from here" undoes the change.
const withRollback = `# Makes a change that has an undo, then fails; the operator rolls back from the failed node.
id: with-rollback
title: Change with rollback
parameters:
  marker:
    type: string
  undone:
    type: string
nodes:
  - id: make-change
    kind: shell
    config:
      command: ["true"]
    rollback:
      kind: shell
      config:
        command: ["touch", "{{ params.undone }}"]
  - id: second-change
    kind: shell
    config:
      command: ["true"]
    rollback:
      kind: shell
      config:
        command: ["touch", "{{ params.undone }}-2"]
  - id: check-marker
    kind: shell
    onFailure: ask
    retry:
      maximumAttempts: 1
    config:
      command: ["test", "-f", "{{ params.marker }}"]
edges:
  - from: make-change
    to: second-change
  - from: second-change
    to: check-marker
`;

const marker = join(tmpdir(), `runwright-e2e-marker-${process.pid}`);
const undone = join(tmpdir(), `runwright-e2e-undone-${process.pid}`);
let stack: EditorStack;

beforeAll(async () => {
  expect(loadRunbook(flaky).ok).toBe(true);
  expect(loadRunbook(withRollback).ok).toBe(true);
  stack = await startEditorStack({ runbooks: { files: { 'flaky.yaml': flaky, 'with-rollback.yaml': withRollback } } });
});

afterAll(async () => {
  await stack?.stop();
  rmSync(marker, { force: true });
  rmSync(undone, { force: true });
  rmSync(`${undone}-2`, { force: true });
});

describe('a failed node in run mode', () => {
  it('shows the failure and its choices; retry from the canvas succeeds once the cause is fixed', async () => {
    rmSync(marker, { force: true });
    const { page, problems } = await stack.signedInPage('admin');
    await page.getByRole('link', { name: 'Flaky step' }).click();
    await page.locator('.start-form input[name="marker"]').fill(marker);
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(/#\/runs\//);

    const form = page.locator('form[data-checkpoint="check-marker"]');
    await form.waitFor({ timeout: 20_000 });
    expect(await form.locator('.failure').textContent()).toBeTruthy();
    expect(await form.locator('.failure-actions button').allTextContents()).toEqual(expect.arrayContaining(['Retry', 'Skip', 'Abort the run']));
    expect(await page.locator('[data-node-id="after"]').getAttribute('data-status')).toBe('pending');

    // Fix the cause, then retry from the canvas.
    writeFileSync(marker, 'present');
    await form.getByRole('button', { name: 'Retry' }).click();
    await page.locator('.run-status.status-succeeded').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-node-id="check-marker"]').getAttribute('data-status')).toBe('succeeded');
    expect(await page.locator('[data-node-id="after"]').getAttribute('data-status')).toBe('succeeded');
    await screenshot(page, 'editor-failed-node-retry');
    expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
    await page.close();
  });

  it('"roll back from here" runs the rollback actions of completed nodes', async () => {
    rmSync(marker, { force: true });
    rmSync(undone, { force: true });
    const { page, problems } = await stack.signedInPage('admin');
    await page.getByRole('link', { name: 'Change with rollback' }).click();
    await page.locator('.start-form input[name="marker"]').fill(marker);
    await page.locator('.start-form input[name="undone"]').fill(undone);
    await page.getByRole('button', { name: 'Start run' }).click();
    const form = page.locator('form[data-checkpoint="check-marker"]');
    await form.waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-node-id="make-change"]').getAttribute('data-status')).toBe('succeeded');
    // No compensation yet: no lane, no badges.
    expect(await page.locator('.rollback-lane').count()).toBe(0);
    expect(await page.locator('.rollback-badge').count()).toBe(0);
    await form.getByRole('button', { name: 'Roll back from here' }).click();
    await page.locator('[data-node-id="make-change"][data-status="rolled-back"]').waitFor({ timeout: 20_000 });
    await expect.poll(() => existsSync(undone)).toBe(true);
    await expect.poll(() => existsSync(`${undone}-2`)).toBe(true);
    await page.locator('.run-status.status-failed').waitFor({ timeout: 20_000 });

    // The rollback lane: newest completed step first, each badge numbered in that order.
    const lane = page.locator('.rollback-lane li');
    await expect.poll(() => lane.evaluateAll((items) => items.map((li) => [li.getAttribute('data-rollback-node'), li.getAttribute('data-rollback-status')]))).toEqual([
      ['second-change', 'rolled-back'],
      ['make-change', 'rolled-back'],
    ]);
    const badge = (id: string) => page.locator(`[data-node-id="${id}"] .rollback-badge`);
    expect(await badge('second-change').getAttribute('data-rollback-order')).toBe('1');
    expect(await badge('make-change').getAttribute('data-rollback-order')).toBe('2');
    expect(await page.locator('[data-node-id="check-marker"] .rollback-badge').count()).toBe(0);
    expect(await page.locator('.react-flow__edge.rollback-edge').count()).toBe(1);
    // The inspector says what the node's rollback did and where it stood in the lane.
    await page.locator('[data-node-id="make-change"]').click();
    const inspector = page.locator('[data-inspecting-run-node="make-change"] .run-node-rollback');
    expect(await inspector.getAttribute('data-rollback-status')).toBe('rolled-back');
    expect(await inspector.textContent()).toContain('step 2 of the rollback lane: rolled back');
    await screenshot(page, 'editor-failed-node-rollback');
    expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
    await page.close();
  });
});
