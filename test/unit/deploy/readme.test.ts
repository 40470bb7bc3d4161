import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { environment } from '@runwright/runbook';

const root = resolve(import.meta.dirname, '../../..');
const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
const ci = readFileSync(resolve(root, '.ci/run'), 'utf8');

describe('README.md', () => {
  it('documents every environment variable the code reads', () => {
    for (const name of Object.keys(environment)) expect(readme, `README does not document ${name}`).toContain(`\`${name}\``);
  });

  it('gives the two commands a new user types, and CI runs the same test command', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm install && npm test');
    expect(ci).toMatch(/^npm test$/m);
  });
});
