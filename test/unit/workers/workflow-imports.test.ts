import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { languagePackageViolations, workflowViolations } from './determinism-lint.js';

const root = resolve(import.meta.dirname, '../../..');
const sourceFiles = (folder: string): string[] =>
  readdirSync(resolve(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.tsx?$/.test(f))
    .map((f) => join(folder, f))
    .sort();
const read = (file: string) => readFileSync(resolve(root, file), 'utf8');

const workflowFiles = sourceFiles('workers/src/workflows');
const languageFiles = sourceFiles('packages/runbook/src');
const languageDependencies = Object.keys(JSON.parse(read('packages/runbook/package.json')).dependencies ?? {});

describe('workflow code is deterministic, and its imports show it', () => {
  it('finds the workflow files', () => {
    expect(workflowFiles).toContain('workers/src/workflows/interpreter.ts');
  });

  it.each(workflowFiles)('%s', (file) => {
    expect(workflowViolations(file, read(file))).toEqual([]);
  });

  it('catches every forbidden import and global (the lint itself can fail)', () => {
    const bad = [
      "import { proxyActivities } from '@temporalio/workflow';",
      "import type { ActionActivities } from '../activities/index.js';",
      "import { type RunInput } from '@runwright/runbook';",
      "import { shell } from '../activities/shell.js';",
      "import { readFile } from 'node:fs/promises';",
      "import 'reflect-metadata';",
      "export { x } from '@temporalio/client';",
      'const started = Date.now();',
      'const jitter = Math.random();',
      'const region = process.env.REGION;',
      "console.log('hi');",
      'setTimeout(() => {}, 10);',
      "await fetch('http://x');",
      "const later = await import('./lazy.js');",
      'const options = { fetch: 1 }; options.fetch; const setTimeoutMs = 5;',
    ].join('\n');
    expect(workflowViolations('bad.ts', bad).map((v) => `${v.line}: ${v.message}`)).toEqual([
      '4: imports "../activities/shell.js" at run time; workflow code may import only @temporalio/workflow, @runwright/runbook, ./workflow files, or types',
      '5: imports "node:fs/promises" at run time; workflow code may import only @temporalio/workflow, @runwright/runbook, ./workflow files, or types',
      '6: imports "reflect-metadata" at run time; workflow code may import only @temporalio/workflow, @runwright/runbook, ./workflow files, or types',
      '7: imports "@temporalio/client" at run time; workflow code may import only @temporalio/workflow, @runwright/runbook, ./workflow files, or types',
      '8: uses Date.now',
      '9: uses Math.random',
      '10: uses process',
      '11: uses console',
      '12: uses setTimeout',
      '13: uses fetch',
    ]);
    // A dynamic import of a workflow file (line 14) is allowed; of anything else it is refused.
    expect(workflowViolations('lazy.ts', "await import('../x.js')").map((v) => v.message)).toEqual([
      'imports "../x.js" at run time; workflow code may import only @temporalio/workflow, @runwright/runbook, ./workflow files, or types',
    ]);
  });
});

describe('the language package is free of Node', () => {
  it.each(languageFiles)('%s', (file) => {
    expect(languagePackageViolations(relative(root, resolve(root, file)), read(file), languageDependencies)).toEqual([]);
  });

  it('catches Node built-ins, undeclared packages and Node globals (the lint itself can fail)', () => {
    const bad = ["import { readFileSync } from 'fs';", "import { createHash } from 'node:crypto';", "import express from 'express';", "import { z } from 'zod';", 'const home = process.env.HOME;'].join('\n');
    expect(languagePackageViolations('bad.ts', bad, ['zod']).map((v) => `${v.line}: ${v.message}`)).toEqual([
      '1: imports the Node built-in "fs"',
      '2: imports the Node built-in "node:crypto"',
      '3: imports "express", which is not a dependency of @runwright/runbook',
      '5: uses the Node global process',
    ]);
  });
});
