import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRunbook, planHash } from '@runwright/runbook';
import { parse, stringify } from 'yaml';

const helloText = readFileSync(resolve(import.meta.dirname, '../../../runbooks/hello.yaml'), 'utf8');

function hashOf(document: unknown): string {
  const result = loadRunbook(stringify(document));
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.planHash;
}

describe('planHash', () => {
  const hello = parse(helloText) as Record<string, any>;

  it('is the same for the same document, whatever its key order or defaults written out', () => {
    const reordered = Object.fromEntries(Object.entries(hello).reverse());
    const withDefaults = { ...hello, defaults: { timeout: '5m' }, edges: hello.edges };
    expect(hashOf(reordered)).toBe(hashOf(hello));
    expect(hashOf(withDefaults)).toBe(hashOf(hello));
    const loaded = loadRunbook(helloText);
    expect(loaded.ok && planHash(loaded.runbook)).toBe(hashOf(hello));
  });

  it('ignores the layout: moving nodes and adding notes is not a new version', () => {
    const moved = { ...hello, layout: { nodes: { 'say-hello': { x: 500, y: -20 } }, notes: [{ id: 'n1', text: 'why', x: 1, y: 2 }] } };
    const noLayout = { ...hello, layout: undefined };
    expect(hashOf(moved)).toBe(hashOf(hello));
    expect(hashOf(noLayout)).toBe(hashOf(hello));
  });

  it('changes with anything that executes', () => {
    const base = hashOf(hello);
    const changedCommand = structuredClone(hello);
    changedCommand.nodes[0].config.script = 'echo bye';
    const changedParameter = structuredClone(hello);
    changedParameter.parameters.who.default = 'someone else';
    const changedTitle = structuredClone(hello);
    changedTitle.nodes[1].config.title = 'Another question';
    for (const changed of [changedCommand, changedParameter, changedTitle]) expect(hashOf(changed)).not.toBe(base);
  });
});
