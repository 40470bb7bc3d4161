import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withConfigTable } from '../../../scripts/config-table.js';

const root = resolve(import.meta.dirname, '../../..');
const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
const ci = readFileSync(resolve(root, '.ci/run'), 'utf8');

describe('README.md', () => {
  it('documents every environment variable the code reads, as the settings registry describes it', () => {
    expect(readme, 'README.md is out of date: run `npm run docs:config`').toBe(withConfigTable(readme));
  });

  it('gives the two commands a new user types, and CI runs the same test command', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm install && npm test');
    expect(ci).toMatch(/^npm test$/m);
  });
});
