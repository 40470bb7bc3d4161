import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium; browser downloads are impossible on these machines. */
const chromiumPath = process.env.RUNWRIGHT_CHROMIUM ?? '/usr/bin/chromium';

export const artifactsFolder = resolve(import.meta.dirname, '../../../test-artifacts/e2e');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A page whose browser console errors and failed requests fail the test that reads them. */
export async function openPage(browser: Browser, url: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  // Fail fast: every wait in these tests is for something local and quick.
  page.setDefaultTimeout(10_000);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  await page.goto(url);
  return { page, problems };
}

/** Saves the page as it looks now, so a reader can see the final screen of a test. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artifactsFolder, { recursive: true });
  const path = resolve(artifactsFolder, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Signs in through the editor's own sign-in page and waits for the runbooks list. */
export async function signIn(page: Page, token: string): Promise<void> {
  await page.goto(new URL('/#/sign-in', page.url()).toString());
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Runbooks' }).waitFor();
}
