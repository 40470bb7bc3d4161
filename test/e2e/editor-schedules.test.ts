import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './support/browser.js';
import { startEditorStack, type EditorStack } from './support/editor-stack.js';

// No worker: a triggered run only has to exist (it waits at its checkpoint); the page is what is tested.
const taskQueue = `e2e-schedules-${process.pid}`;
const runbookId = `e2e-drill-${process.pid}`;
const scheduleId = `runwright:${runbookId}:weekly`;
let stack: EditorStack;

beforeAll(async () => {
  const drill = {
    id: runbookId,
    title: 'Weekly restore drill',
    parameters: { target: { type: 'string', default: 'production' }, keep: { type: 'number', default: 14 } },
    triggers: { schedules: [{ name: 'weekly', cron: '0 3 * * 1', overlap: 'skip', catchupWindow: '15m' }] },
    nodes: [{ id: 'restore', kind: 'checkpoint', config: { title: 'Restored?' } }],
  };
  stack = await startEditorStack({ worker: false, taskQueue, runbooks: { documents: [drill] } });
  expect((await stack.api.call('POST', '/api/schedules/sync')).body).toMatchObject({ created: [scheduleId] });
});

afterAll(async () => {
  await stack?.env.client.schedule.getHandle(scheduleId).delete().catch(() => undefined);
  await stack?.stop();
});

describe('the schedules page', () => {
  it('shows a viewer when each schedule runs, and offers no actions', async () => {
    const { page, problems } = await stack.signedInPage('viewer');
    // The runbooks list links each scheduled runbook to its schedules.
    await page.locator(`[data-runbook="${runbookId}"] .runbook-schedules`).click();
    const row = page.locator(`tr[data-schedule="${scheduleId}"]`);
    await row.waitFor();
    expect(await page.locator('table.schedules tbody tr').count()).toBe(1);
    const cells = await row.locator('td').allTextContents();
    expect(cells.slice(0, 5)).toEqual([runbookId, 'weekly', '0 3 * * 1 (UTC)', 'active', 'SKIP']);
    expect(new Date(cells[5]!).getTime()).toBeGreaterThan(Date.now());
    expect(cells[6]).toBe('never');
    expect(await row.getByRole('button').count()).toBe(0);
    expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
    await page.close();
  });

  it('lets an operator pause with a note, unpause and trigger a run now', async () => {
    const { page, problems } = await stack.signedInPage('operator');
    await page.getByRole('link', { name: 'Schedules' }).click();
    const row = page.locator(`tr[data-schedule="${scheduleId}"]`);
    await row.waitFor();

    page.once('dialog', (dialog) => void dialog.accept('freeze week'));
    await row.getByRole('button', { name: 'Pause' }).click();
    await page.locator(`tr[data-schedule="${scheduleId}"][data-paused="true"]`).waitFor();
    expect(await row.locator('.schedule-paused').textContent()).toContain('freeze week');
    expect(await row.locator('.next-run').textContent()).toBe('—');

    page.once('dialog', (dialog) => void dialog.accept(''));
    await row.getByRole('button', { name: 'Unpause' }).click();
    await page.locator(`tr[data-schedule="${scheduleId}"][data-paused="false"]`).waitFor();

    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Trigger now' }).click();
    await expect.poll(() => page.locator('.schedule-message').textContent()).toContain('triggered');
    // Temporal lists the action among the schedule's recent runs shortly after.
    await expect
      .poll(
        async () => {
          await page.reload();
          await row.waitFor();
          return row.locator('.last-run-cell a').count();
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe(1);
    // The last run links to its run page (with no worker here, the run itself never gets going).
    // Visibility lists a new run a moment after it starts.
    const scheduled = async () => (await stack.api.call('GET', `/api/runs?runbookId=${runbookId}&trigger=schedule`)).body.runs as { runId: string }[];
    await expect.poll(async () => (await scheduled()).length, { timeout: 20_000 }).toBe(1);
    expect(await row.locator('.last-run-cell a').getAttribute('href')).toBe(`#/runs/${encodeURIComponent((await scheduled())[0]!.runId)}`);
    await screenshot(page, 'editor-schedules');
    expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
    await page.close();
  });

  it("marks an overridden schedule and opens to what differs from the runbook, and who set it", async () => {
    const set = await stack.api.call('PUT', `/api/schedules/${scheduleId}/override`, { every: '30s', params: { target: 'staging' }, reason: 'staging drills' });
    expect(set.status).toBe(200);
    try {
      const { page, problems } = await stack.signedInPage('viewer');
      await page.getByRole('link', { name: 'Schedules' }).click();
      const row = page.locator(`tr[data-schedule="${scheduleId}"][data-overridden="true"]`);
      await row.waitFor();
      expect(await row.locator('.schedule-when code').textContent()).toBe('every 30s');
      const badge = row.locator('.schedule-override');
      expect(await badge.getAttribute('data-source')).toBe('api');
      expect(await badge.locator('.override-diff').isVisible()).toBe(false);
      await badge.locator('summary').click();
      const parts = await badge.locator('.override-diff tr').evaluateAll((rows) =>
        rows.map((r) => [r.getAttribute('data-part'), r.querySelector('.override-runbook')?.textContent, r.querySelector('.override-value')?.textContent]),
      );
      expect(parts).toEqual([
        ['when', '0 3 * * 1', 'every 30s'],
        ['params.target', 'production', 'staging'],
      ]);
      expect(await badge.locator('.override-by').textContent()).toMatch(/^by bootstrap through the API, .+: staging drills$/);
      await screenshot(page, 'editor-schedule-override');
      expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);

      // Cleared, the page shows the runbook's own schedule again.
      expect((await stack.api.call('DELETE', `/api/schedules/${scheduleId}/override`)).status).toBe(200);
      await page.reload();
      await page.locator(`tr[data-schedule="${scheduleId}"][data-overridden="false"]`).waitFor();
      expect(await page.locator(`tr[data-schedule="${scheduleId}"] .schedule-when`).textContent()).toBe('0 3 * * 1 (UTC)');
      await page.close();
    } finally {
      await stack.api.call('DELETE', `/api/schedules/${scheduleId}/override`);
    }
  });
});
