import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRunbook } from '@runwright/runbook';
import { readYaml, writeYaml } from '../../../apps/editor/src/document/yaml-text.js';
import { createEditorStore } from '../../../apps/editor/src/store/editor-store.js';
import { runbooksFolder } from '../../support/runbooks.js';

const source = readFileSync(resolve(runbooksFolder, 'hello.yaml'), 'utf8');
const loaded = () => {
  const read = readYaml(source);
  if (!read.ok) throw new Error(read.message);
  return read.draft;
};

describe('the YAML text of a draft', () => {
  it('keeps the file byte for byte while the document says the same thing', () => {
    expect(writeYaml(loaded(), source)).toBe(source);
  });

  it('moving a node rewrites only that position; comments and every other line survive', () => {
    const store = createEditorStore(loaded());
    store.getState().moveNode('confirm', { x: 120, y: 150 });
    const text = writeYaml(store.getState().draft, source);
    const before = source.split('\n');
    const after = text.split('\n');
    expect(after.length).toBe(before.length);
    const changed = after.filter((line, i) => line !== before[i]);
    expect(changed).toEqual(['    confirm: { x: 120, y: 150 }']);
    const [a, b] = [loadRunbook(source), loadRunbook(text)];
    expect(a.ok && b.ok && a.planHash === b.planHash).toBe(true);
  });

  it('an edit from the canvas keeps the header comment and writes no defaults', () => {
    const store = createEditorStore(loaded());
    store.getState().addNode('shell', { x: 0, y: 420 });
    store.getState().updateConfig('shell', { command: ['true'] });
    store.getState().connect('check-health', 'shell');
    const text = writeYaml(store.getState().draft, source);
    expect(text.startsWith('# Hello: the smallest runbook')).toBe(true);
    expect(text).toContain('- id: shell');
    expect(text).not.toContain('interpreter');
    const result = loadRunbook(text);
    expect(result.ok && result.runbook.nodes.map((n) => n.id)).toEqual(['say-hello', 'confirm', 'check-health', 'shell']);
  });

  it('writes a draft that does not fit the schema yet as it stands, and reports text that is not YAML', () => {
    const store = createEditorStore(loaded());
    store.getState().addNode('http', { x: 0, y: 420 });
    const text = writeYaml(store.getState().draft, source);
    const read = readYaml(text);
    expect(read.ok && read.draft.nodes.at(-1)).toEqual({ id: 'http', kind: 'http', config: {} });
    expect(readYaml('nodes: [')).toEqual({ ok: false, message: expect.stringMatching(/flow sequence|Unexpected|end/i) });
    expect(readYaml('- a list')).toEqual({ ok: false, message: expect.stringMatching(/mapping/) });
  });
});
