import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runbooksFolder } from '../../support/runbooks.js';

/** A temporary runbooks folder holding a copy of hello, for tests that save or add files. */
export function temporaryRunbooks(): { folder: string; remove(): void } {
  const folder = mkdtempSync(join(tmpdir(), 'runwright-e2e-runbooks-'));
  copyFileSync(resolve(runbooksFolder, 'hello.yaml'), join(folder, 'hello.yaml'));
  return { folder, remove: () => rmSync(folder, { recursive: true, force: true }) };
}
