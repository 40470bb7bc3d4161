import type { Browser, Page } from 'playwright-core';
import { startApiStack, type ApiStack, type ApiStackOptions } from '../../support/api-stack.js';
import type { RoleTokens } from '../../support/api-server.js';
import { launchBrowser, openPage, signIn } from './browser.js';

export interface EditorStack extends ApiStack {
  browser: Browser;
  /** A fresh page on the editor, signed in through its sign-in page as `role`. */
  signedInPage(role: keyof RoleTokens): Promise<{ page: Page; problems: string[] }>;
}

/**
 * What every editor test stands on: the API stack (Temporal client, worker, API serving the
 * built editor) plus a headless browser. `runbooks` defaults to a temporary folder holding a
 * copy of hello, so tests may save and add files; `runbooks: false` serves the shipped folder.
 */
export async function startEditorStack(options: Omit<ApiStackOptions, 'runbooks'> & { runbooks?: ApiStackOptions['runbooks'] | false } = {}): Promise<EditorStack> {
  const { runbooks, ...rest } = options;
  const stack = await startApiStack({
    ...rest,
    ...(runbooks !== false && { runbooks: { ...runbooks, copy: ['hello', ...(runbooks?.copy ?? [])] } }),
  });
  let browser: Browser;
  try {
    browser = await launchBrowser();
  } catch (error) {
    await stack.stop();
    throw error;
  }
  return {
    ...stack,
    browser,
    async signedInPage(role) {
      const opened = await openPage(browser, `${stack.api.url}/`);
      await signIn(opened.page, stack.api.tokens[role]);
      return opened;
    },
    async stop() {
      try {
        await browser.close();
      } finally {
        await stack.stop();
      }
    },
  };
}
