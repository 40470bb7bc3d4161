import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { runbooksFolder } from './runbooks.js';

/** A runbook as a plain object (valid or deliberately not), named by its id. */
export type RunbookDocument = { id: string } & Record<string, unknown>;

/** Writes `document` as YAML to `<id>.yaml` in `folder` and returns the file's path. */
export function writeRunbookFile(folder: string, document: RunbookDocument): string {
  const path = join(folder, `${document.id}.yaml`);
  writeFileSync(path, stringify(document));
  return path;
}

export interface TemporaryRunbooks {
  folder: string;
  /** Writes (or overwrites) one file in the folder; tests that edit runbooks mid-test use it. */
  write(name: string, text: string): void;
  remove(): void;
}

/**
 * A temporary runbooks folder for one test file, so tests that save or add runbooks never touch
 * the shipped `runbooks/`: `copy` names shipped runbooks to copy in (by id), `files` are written
 * as given (file name → text), `documents` as YAML under their ids.
 */
export function temporaryRunbooks(
  options: { copy?: readonly string[]; files?: Record<string, string>; documents?: readonly RunbookDocument[] } = {},
): TemporaryRunbooks {
  const folder = mkdtempSync(join(tmpdir(), 'runwright-test-runbooks-'));
  const write = (name: string, text: string) => writeFileSync(join(folder, name), text);
  for (const id of options.copy ?? []) copyFileSync(resolve(runbooksFolder, `${id}.yaml`), join(folder, `${id}.yaml`));
  for (const [name, text] of Object.entries(options.files ?? {})) write(name, text);
  for (const document of options.documents ?? []) writeRunbookFile(folder, document);
  return { folder, write, remove: () => rmSync(folder, { recursive: true, force: true }) };
}
