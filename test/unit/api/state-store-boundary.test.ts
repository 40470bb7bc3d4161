import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readsOtherFiles, stateBoundaryViolations } from './state-boundary-lint.js';

const apiSource = resolve(import.meta.dirname, '../../../apps/api/src');

function sources(folder: string): { file: string; text: string }[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [{ file: relative(apiSource, path).split('\\').join('/'), text: readFileSync(path, 'utf8') }] : [];
  });
}

describe('the API reaches its state only through the state store', () => {
  it('holds for every file of apps/api/src', () => {
    const files = sources(apiSource);
    expect(files.length).toBeGreaterThan(50);
    expect(stateBoundaryViolations(files)).toEqual([]);
    // The exceptions name files that exist, so a renamed one cannot leave a hole behind.
    for (const file of readsOtherFiles) expect(files.map((f) => f.file)).toContain(file);
  });

  it('finds a route that loads the file backend, opens a file, or knows the data folder', () => {
    const violations = stateBoundaryViolations([
      { file: 'routes/reports.ts', text: "import { join } from 'node:path';\nimport { FileReports } from '../store/file/file-reports.js';\n" },
      { file: 'routes/tokens.ts', text: "import type { Router } from 'express';\nimport { readFileSync } from 'node:fs';\n" },
      { file: 'triggers/alert-switch.ts', text: "const x = 1;\nconst folder = join(settings.RUNWRIGHT_DATA_DIR, 'api');\n" },
      { file: 'main.ts', text: "const runbooks = await import('./store/file/folder-runbook-documents.js');\n" },
    ]);
    expect(violations.map((v) => [v.file, v.line])).toEqual([
      ['routes/reports.ts', 2],
      ['routes/tokens.ts', 2],
      ['triggers/alert-switch.ts', 2],
      ['main.ts', 1],
    ]);
  });

  it('lets the store open its backend and the backend open its files', () => {
    expect(
      stateBoundaryViolations([
        { file: 'store/open-state-store.ts', text: "import { openFileStateStore } from './file/file-state-store.js';\nconst dir = settings.RUNWRIGHT_DATA_DIR;\n" },
        { file: 'store/file/file-reports.ts', text: "import { readFile } from 'node:fs/promises';\nimport { WorkQueue } from './work-queue.js';\n" },
        { file: 'app.ts', text: "import { existsSync } from 'node:fs';\n" },
      ]),
    ).toEqual([]);
  });
});
