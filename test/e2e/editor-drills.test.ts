import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './support/browser.js';
import { startEditorStack, type EditorStack } from './support/editor-stack.js';

const runbookId = `e2e-drill-report-${process.pid}`;
let stack: EditorStack;

beforeAll(async () => {
  const drill = {
    id: runbookId,
    title: 'Failover drill',
    objectives: { rtoSeconds: 60, recoveredAt: 'check-app', recoveryStartsAt: 'fail-over' },
    nodes: [
      { id: 'fail-over', kind: 'shell', title: 'Fail over', config: { command: ['sleep', '0.2'] } },
      { id: 'check-app', kind: 'shell', title: 'The app answers', config: { command: ['true'] } },
    ],
    edges: [{ from: 'fail-over', to: 'check-app' }],
  };
  stack = await startEditorStack({ runbooks: { documents: [drill] } });
});

afterAll(() => stack?.stop());

async function runDrill(): Promise<string> {
  const started = await stack.api.call('POST', `/api/runbooks/${runbookId}/runs`, { params: {} });
  expect(started.status).toBe(201);
  const runId = started.body.runId as string;
  await expect.poll(async () => (await stack.api.call('GET', `/api/runs/${encodeURIComponent(runId)}`)).body.state?.status, { timeout: 20_000 }).toBe('succeeded');
  return runId;
}

describe('drill reports', () => {
  it('shows the drills of a runbook with the RTO trend, and each drill report', async () => {
    const runIds = [await runDrill(), await runDrill()];
    // Runs are listed through Temporal visibility, which catches up a moment after they close.
    await expect
      .poll(async () => ((await stack.api.call('GET', `/api/runbooks/${runbookId}/drills`)).body.drills ?? []).length, { timeout: 20_000 })
      .toBe(2);

    const { page, problems } = await stack.signedInPage('viewer');
    // The runbooks list tags drill runbooks with their objectives and links to their drills.
    await page.goto(`${stack.api.url}/#/`);
    const drillTag = page.locator(`li[data-runbook="${runbookId}"] a.runbook-drills`);
    expect(await drillTag.textContent()).toBe('drill · RTO 60 s');
    expect(await page.locator('li[data-runbook="hello"] a.runbook-drills').count()).toBe(0);
    await screenshot(page, 'editor-runbooks-drill-tag');
    await drillTag.click();
    await page.waitForURL(/\/drills$/);
    await page.locator('table.drills').waitFor();
    await page.goto(`${stack.api.url}/#/runbooks/${runbookId}`);
    await page.getByRole('link', { name: 'Drills' }).click();
    await page.waitForURL(/\/drills$/);
    const rows = page.locator('table.drills tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-verdict')))).toEqual(['passed', 'passed']);
    expect(new Set(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-run-id'))))).toEqual(new Set(runIds));
    // The chart: one point per drill, under the objective line (60 s; these recover in well under).
    const points = page.locator('.rto-chart circle.point');
    expect(await points.count()).toBe(2);
    const objectiveY = Number(await page.locator('.rto-chart .objective line').getAttribute('y1'));
    for (const cy of await points.evaluateAll((cs) => cs.map((c) => Number(c.getAttribute('cy'))))) expect(cy).toBeGreaterThan(objectiveY);
    const seconds = await points.evaluateAll((cs) => cs.map((c) => Number(c.getAttribute('data-seconds'))));
    console.log(`measured recovery per drill: ${seconds.join(', ')} s`);
    expect(seconds.every((s) => s > 0 && s < 60)).toBe(true);
    await screenshot(page, 'editor-drills');

    // A drill's report: the objective met, the timeline, and the API's HTML version.
    await rows.first().getByRole('link', { name: 'report' }).click();
    await page.waitForURL(/\/report$/);
    const report = page.locator('.drill-report');
    await report.waitFor();
    expect(await report.getAttribute('data-verdict')).toBe('passed');
    expect(await page.locator('tr[data-objective="rto"]').getAttribute('data-met')).toBe('true');
    expect(await page.locator('.timeline li[data-node]').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-node')))).toEqual(['fail-over', 'check-app']);
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'HTML report' }).click()]);
    await popup.waitForLoadState();
    await expect.poll(() => popup.content()).toContain('Failover drill');
    await popup.close();
    await screenshot(page, 'editor-drill-report');

    // The run page links to its drill report.
    await page.getByRole('link', { name: /^run / }).click();
    await page.locator('.drill-report-link').waitFor();
    expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
    await page.close();
  });
});
