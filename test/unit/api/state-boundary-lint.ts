import { posix } from 'node:path';
import ts from 'typescript';

/** One rule broken, by file (relative to `apps/api/src`) and line. */
export interface Violation {
  file: string;
  line: number;
  message: string;
}

/** Files that read files which are not the API's state: the built editor, TLS material, files named on the command line, the overrides settings files. */
export const readsOtherFiles = new Set(['app.ts', 'temporal/connect.ts', 'cli/validate.ts', 'cli/report-commands.ts', 'cli/backup-commands.ts', 'cli/export-commands.ts', 'schedules/installation-overrides.ts', 'triggers/alert-route-overrides.ts']);

const fileModules = new Set(['fs', 'fs/promises', 'node:fs', 'node:fs/promises']);
const stateFolders = /\bRUNWRIGHT_(DATA|RUNBOOKS)_DIR\b/;

function lineOf(text: string, position: number): number {
  return text.slice(0, position).split('\n').length;
}

/**
 * The API's state is reached only through the state store, so that a second backend serves
 * every caller: nothing but `openStateStore` loads the file backend, nothing outside it opens
 * files (except the few files that are not state), and only the store and the CLI that opens
 * it know where the data and runbooks folders are.
 */
export function stateBoundaryViolations(files: { file: string; text: string }[]): Violation[] {
  const found: Violation[] = [];
  for (const { file, text } of files) {
    const inFileBackend = file.startsWith('store/file/');
    for (const imported of ts.preProcessFile(text, true, true).importedFiles) {
      const target = imported.fileName.startsWith('.') ? posix.join(posix.dirname(file), imported.fileName) : imported.fileName;
      const line = lineOf(text, imported.pos);
      if (target.startsWith('store/file/') && !inFileBackend && file !== 'store/open-state-store.ts') {
        found.push({ file, line, message: `loads the file backend (${imported.fileName}); open the state with openStateStore instead` });
      }
      if (fileModules.has(imported.fileName) && !inFileBackend && !readsOtherFiles.has(file)) {
        found.push({ file, line, message: `opens files (${imported.fileName}) outside the state store's file backend` });
      }
    }
    const folder = stateFolders.exec(text);
    if (folder && !file.startsWith('store/') && !file.startsWith('cli/')) {
      found.push({ file, line: lineOf(text, folder.index), message: `reads ${folder[0]}, which only the state store (and the CLI that opens it) may know` });
    }
  }
  return found;
}
