// Prints README's configuration table from the settings registry, so the two cannot drift:
// `npm run docs:config` rewrites the table between the markers; a test checks it is current.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { environment } from '@runwright/runbook';

export const tableStart = '<!-- config-table:start -->';
export const tableEnd = '<!-- config-table:end -->';

export function configTable(): string {
  const rows = Object.entries(environment).map(([name, spec]) => {
    const fallback = spec.default === '' ? '' : `\`${spec.default}\``;
    return `| \`${name}\` | ${fallback} | ${spec.usedBy.join(', ')} | ${spec.description.replace(/\|/g, '\\|')} |`;
  });
  return ['| variable | default | read by | what it does |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

export function withConfigTable(readme: string): string {
  const start = readme.indexOf(tableStart);
  const end = readme.indexOf(tableEnd);
  if (start < 0 || end < start) throw new Error(`README.md lacks the ${tableStart} … ${tableEnd} markers`);
  return `${readme.slice(0, start + tableStart.length)}\n${configTable()}\n${readme.slice(end)}`;
}

if (process.argv[1] === import.meta.filename) {
  const path = resolve(import.meta.dirname, '..', 'README.md');
  writeFileSync(path, withConfigTable(readFileSync(path, 'utf8')));
  console.log('README.md configuration table updated');
}
