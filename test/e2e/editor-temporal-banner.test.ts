// When Temporal goes away the editor says so once, in a banner over every page, instead of each
// call failing with "internal error"; the banner leaves by itself when Temporal is back. Runs
// against a Temporal dev server of the test's own, stopped and started again on its port.
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer } from '../support/api-server.js';
import { startOwnTemporal, type OwnTemporal } from '../support/own-temporal.js';
import { launchBrowser, openPage, screenshot, signIn } from './support/browser.js';

let temporal: OwnTemporal;
let api: Awaited<ReturnType<typeof startApiServer>>;
let browser: Browser;

beforeAll(async () => {
  temporal = await startOwnTemporal();
  api = await startApiServer(temporal.env, { taskQueue: `test-${randomUUID()}` });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
  await temporal?.close();
});

// Long enough for a health poll (5 s) and its deadline (3 s) on a busy machine.
const bannerWait = { timeout: 60_000 };

describe('the editor when Temporal is unreachable', () => {
  it('shows a banner naming the address while Temporal is down, fails calls with that reason, and clears itself', async () => {
    const { page, problems } = await openPage(browser, `${api.url}/`);
    await signIn(page, api.tokens.admin);
    const banner = page.getByRole('alert').filter({ hasText: 'Temporal is unreachable' });
    expect(await banner.count()).toBe(0);

    await temporal.stop();
    const message = `Temporal is unreachable at ${temporal.address}; runs can't start or update until it is back.`;
    await banner.waitFor(bannerWait);
    expect(await banner.textContent()).toBe(message);

    // A page whose calls need Temporal says why they fail, not "internal error".
    await page.goto(`${api.url}/#/runs`);
    await page.getByText(`Temporal is unreachable at ${temporal.address}`).nth(1).waitFor(bannerWait);
    expect(await page.getByText(/internal error/i).count()).toBe(0);
    expect(await banner.count()).toBe(1);
    console.log(`screenshot: ${await screenshot(page, 'temporal-unreachable-banner')}`);

    await temporal.restart();
    await banner.waitFor({ state: 'detached', ...bannerWait });
    await page.reload();
    await page.getByRole('heading', { name: 'Runs' }).waitFor();
    expect(await banner.count()).toBe(0);
    console.log(`screenshot: ${await screenshot(page, 'temporal-back-banner-cleared')}`);
    // The failed calls show in the console as 503s; nothing else may.
    expect(problems.filter((p) => !/status of 503/.test(p))).toEqual([]);
  });
});
