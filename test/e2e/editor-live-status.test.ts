import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, screenshot, signIn } from './support/browser.js';
import { startEditorStack, type EditorStack } from './support/editor-stack.js';

let stack: EditorStack;

beforeAll(async () => {
  stack = await startEditorStack({ runbooks: false });
});

afterAll(() => stack?.stop());

const statusOf = (page: Page, nodeId: string) => page.locator(`[data-node-id="${nodeId}"]`).getAttribute('data-status');

describe('the editor in run mode', () => {
  it('signs in, starts hello from the parameter form, shows live status per node, takes the approval and completes', async () => {
    const { page, problems } = await openPage(stack.browser, `${stack.api.url}/`);

    // Without a token the API answers 401 and the editor asks for one.
    await page.waitForURL(/#\/sign-in$/);
    await page.getByLabel('API token').fill('rw_not_a_token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('.sign-in .error').textContent()).toMatch(/Not signed in/);
    await signIn(page, stack.api.tokens.operator);
    await expect.poll(() => page.locator('nav .identity').textContent()).toBe('operator (operator)');

    // The runbooks list links to hello.
    await page.getByRole('link', { name: 'Hello, Runwright' }).click();
    await page.locator('[data-node-id="say-hello"]').waitFor();
    expect(await page.locator('.react-flow__node').count()).toBe(3);

    // The parameter form comes from the runbook's parameters.
    await page.locator('.start-form input[name="who"]').fill('e2e-operator');
    await page.locator('.start-form input[name="healthUrl"]').fill(`${stack.api.url}/healthz`);
    // The plan preview shows the resolved order and the checkpoint before anything runs.
    await page.getByRole('button', { name: 'Preview plan' }).click();
    const plan = page.locator('.plan-preview');
    expect(await plan.locator('.plan-stages > li').count()).toBe(3);
    expect(await plan.locator('.plan-stages [data-plan-node]').evaluateAll((els) => els.map((e) => e.getAttribute('data-plan-node')))).toEqual([
      'say-hello',
      'confirm',
      'check-health',
    ]);
    expect(await plan.getByText('Did the worker greet you?').count()).toBe(1);
    await screenshot(page, 'editor-plan-preview');
    await page.getByRole('button', { name: 'Start run' }).click();

    // The run page: say-hello succeeds, the checkpoint waits, the http step has not run yet.
    await page.waitForURL(/#\/runs\//);
    await page.locator('[data-node-id="confirm"][data-status="waiting"]').waitFor();
    expect(await statusOf(page, 'say-hello')).toBe('succeeded');
    expect(await statusOf(page, 'check-health')).toBe('pending');

    // The inspector shows the shell step's output.
    await page.locator('[data-node-id="say-hello"]').click();
    await expect.poll(() => page.locator('.inspector .output').textContent()).toContain('hello, e2e-operator, from');

    // An operator may not decide: the checklist form is not offered, only what is awaited.
    const runUrl = page.url();
    const waitingFor = page.locator('[data-checkpoint="confirm"]');
    expect(await waitingFor.getAttribute('data-may-decide')).toBe('false');
    expect(await waitingFor.getByRole('button', { name: 'Approve' }).count()).toBe(0);

    // An approver signs in and finds the run in the approvals inbox.
    await signIn(page, stack.api.tokens.approver);
    await page.getByRole('link', { name: 'Approvals' }).click();
    const runId = decodeURIComponent(runUrl.split('#/runs/')[1]!);
    await page.locator(`.inbox li[data-run-id="${runId}"][data-checkpoint="confirm"] a`).click();
    expect(page.url()).toBe(runUrl);
    const form = page.locator('form[data-checkpoint="confirm"]');

    // Approving without the required tick is refused, and the reason is shown.
    await form.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => form.locator('.refusal').textContent()).toMatch(/greeting-read/);
    expect(await statusOf(page, 'confirm')).toBe('waiting');

    await form.getByLabel(/I read the greeting/).check();
    await form.getByLabel('Comment').fill('seen in the browser');
    await form.getByRole('button', { name: 'Approve' }).click();

    await page.locator('[data-node-id="check-health"][data-status="succeeded"]').waitFor();
    await page.locator('.run-status.status-succeeded').waitFor();
    expect(await statusOf(page, 'confirm')).toBe('succeeded');
    expect(await page.locator('form[data-checkpoint]').count()).toBe(0);

    // The runs list shows it completed.
    await page.getByRole('link', { name: 'Runs', exact: true }).click();
    await page.locator('select[name="status"]').selectOption('Completed');
    await expect.poll(() => page.locator(`tr[data-run-id="${runId}"] td`).nth(2).textContent(), { timeout: 20_000 }).toBe('Completed');
    await page.goto(runUrl);
    await page.locator('.run-status.status-succeeded').waitFor();

    // The runbooks list shows the latest run of each runbook, and searches by title, id and tag.
    await page.getByRole('link', { name: 'Runbooks' }).click();
    await expect.poll(() => page.locator('li[data-runbook="hello"] .last-run').textContent()).toBe('last run: Completed');
    await page.locator('input[name="runbook-search"]').fill('no such thing');
    await expect.poll(() => page.locator('li[data-runbook]').count()).toBe(0);
    await page.locator('input[name="runbook-search"]').fill('example');
    await expect.poll(() => page.locator('li[data-runbook]').count()).toBe(1);
    await page.goto(runUrl);
    await page.locator('.run-status.status-succeeded').waitFor();

    await screenshot(page, 'editor-live-status');
    // Refused calls log failed requests (401 before sign-in, 403, 400); nothing else may go wrong in the page.
    expect(problems.filter((p) => !/status of (400|401|403)/.test(p))).toEqual([]);
    await page.close();
  });

  it('cancels a waiting run from the run page; a viewer is offered neither start nor cancel', async () => {
    const { page } = await stack.signedInPage('viewer');
    await page.getByRole('link', { name: 'Hello, Runwright' }).click();
    await page.locator('[data-node-id="say-hello"]').waitFor();
    expect(await page.getByRole('button', { name: 'Start run' }).count()).toBe(0);
    await page.getByText('Your role may not start runs.').waitFor();

    const started = await stack.api.call('POST', '/api/runbooks/hello/runs', { params: { healthUrl: `${stack.api.url}/healthz` } }, stack.api.tokens.operator);
    expect(started.status).toBe(201);
    const runUrl = `${stack.api.url}/#/runs/${encodeURIComponent(started.body.runId)}`;
    await page.goto(runUrl);
    await page.locator('[data-node-id="confirm"][data-status="waiting"]').waitFor();
    expect(await page.getByRole('button', { name: 'Cancel run' }).count()).toBe(0);

    await signIn(page, stack.api.tokens.operator);
    await page.goto(runUrl);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Cancel run' }).click();
    await page.locator('.run-status.status-cancelled').waitFor({ timeout: 20_000 });
    expect(await page.getByRole('button', { name: 'Cancel run' }).count()).toBe(0);
    await screenshot(page, 'editor-cancel-run');
    await page.close();
  });
});
