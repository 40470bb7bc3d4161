import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { migrations, type Migration } from '../../../apps/api/src/store/postgres/migrations.js';

/**
 * The state database's migrations as released: a database that ran one never runs it again, so
 * changing a released migration would leave such databases behind the code without anyone
 * knowing. A change to the schema is a new migration at the end (and its line here).
 */
const released: Record<number, string> = {
  1: '9baf0b7927daad7c061ef4bf211438413d82268b64705802434bc7305d00c351',
  2: 'e34d8512b1b17242581f291796f0e7eb1bb6c91ba61b2a6ae882e1dae3b00ddf',
};

function changedReleases(list: readonly Migration[]): string[] {
  const problems: string[] = [];
  list.forEach((migration, index) => {
    if (migration.version !== index + 1) problems.push(`migration at position ${index + 1} has version ${migration.version}: versions run 1, 2, 3… in order`);
    const hash = createHash('sha256').update(migration.sql).digest('hex');
    if (released[migration.version] === undefined) problems.push(`migration ${migration.version} (${migration.name}) is not listed as released here: add its hash, ${hash}`);
    else if (released[migration.version] !== hash) problems.push(`migration ${migration.version} (${migration.name}) was changed after its release: put the change in a new migration`);
  });
  for (const version of Object.keys(released).map(Number)) if (!list.some((m) => m.version === version)) problems.push(`released migration ${version} is gone`);
  return problems;
}

describe('state database migrations', () => {
  it('keep every released migration as it was, in order', () => {
    expect(changedReleases(migrations)).toEqual([]);
  });

  it('finds a released migration edited, one removed, and one out of order', () => {
    const [first, second] = migrations as [Migration, Migration];
    expect(changedReleases([{ ...first, sql: `${first.sql} -- edited` }, second])).toEqual(['migration 1 (state store) was changed after its release: put the change in a new migration']);
    expect(changedReleases([first])).toEqual(['released migration 2 is gone']);
    expect(changedReleases([second, first])).toEqual([
      'migration at position 1 has version 2: versions run 1, 2, 3… in order',
      'migration at position 2 has version 1: versions run 1, 2, 3… in order',
    ]);
  });
});
