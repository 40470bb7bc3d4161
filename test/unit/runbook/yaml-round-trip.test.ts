import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { loadRunbook, saveRunbook, type Runbook } from '@runwright/runbook';
import { releaseDocument } from './fixtures/release-document.js';

const runbooksFolder = resolve(import.meta.dirname, '../../../runbooks');
const shipped = readdirSync(runbooksFolder).filter((f) => f.endsWith('.yaml')).sort();

function load(text: string): { runbook: Runbook; planHash: string } {
  const result = loadRunbook(text);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result;
}

/** The lines of `after` that differ from `before`, by position (for edits that keep the line count). */
function changedLines(before: string, after: string): string[] {
  const [a, b] = [before.split('\n'), after.split('\n')];
  expect(b.length).toBe(a.length);
  return b.filter((line, i) => line !== a[i]);
}

const commented = `# A runbook with comments everywhere a person would put them.
id: commented
title: Commented # trailing comment on the title
nodes:
  # The first step: it must stay first.
  - id: first
    kind: shell
    config:
      command: [echo, one] # argv, no shell
  - id: second
    kind: http
    config:
      # Where to look.
      url: http://127.0.0.1:1/healthz
      expectStatus: [200, 204]
edges:
  - { from: first, to: second }
layout:
  nodes:
    first: { x: 0, y: 0 } # top
    second: { x: 0, y: 140 }
`;

describe('saveRunbook', () => {
  it.each(shipped)('round-trips %s: load → save → load gives the same runbook, fresh and onto its own text', (file) => {
    const text = readFileSync(resolve(runbooksFolder, file), 'utf8');
    const first = load(text);
    const fresh = load(saveRunbook(first.runbook));
    expect(fresh.runbook).toEqual(first.runbook);
    expect(fresh.planHash).toBe(first.planHash);
    // Saving an unchanged runbook onto its file changes nothing at all.
    expect(saveRunbook(first.runbook, text)).toBe(text);
  });

  it('round-trips a runbook using branch, forEach, conditions and rollbacks', () => {
    const first = load(JSON.stringify(releaseDocument));
    const text = saveRunbook(first.runbook);
    expect(load(text).runbook).toEqual(first.runbook);
    expect(saveRunbook(load(text).runbook, text)).toBe(text);
    // Wrapper policies sit between the node's identity and its config.
    expect(text).toContain('  - id: upgrade\n    kind: shell\n    parent: rollout\n    rollback:\n');
    expect(text).toContain('  - id: notify\n    kind: http\n    when: params.announce\n    config:\n      method: POST\n');
  });

  it('writes keys in the fixed order and leaves out what the schema fills in', () => {
    const { runbook } = load(
      JSON.stringify({
        layout: { nodes: { b: { y: 1, x: 2 } } },
        edges: [{ to: 'b', from: 'a' }],
        nodes: [
          { config: { command: ['true'] }, timeout: '1m', kind: 'shell', id: 'a', title: 'A' },
          { config: { url: 'http://x', method: 'GET', expectStatus: [200] }, kind: 'http', id: 'b' },
        ],
        tags: ['t'],
        title: 'Ordered',
        id: 'ordered',
        description: '',
      }),
    );
    expect(saveRunbook(runbook)).toBe(`id: ordered
title: Ordered
tags: [ t ]
nodes:
  - id: a
    kind: shell
    title: A
    timeout: 1m
    config:
      command: [ "true" ]
  - id: b
    kind: http
    config:
      url: http://x
edges:
  - from: a
    to: b
layout:
  nodes:
    b: { x: 2, y: 1 }
`);
  });

  it('moving nodes changes only layout lines, and not the plan hash', () => {
    const text = readFileSync(resolve(runbooksFolder, 'hello.yaml'), 'utf8');
    const before = load(text);
    const moved = structuredClone(before.runbook);
    moved.layout.nodes.confirm = { x: 320, y: 150 };
    moved.layout.nodes['say-hello'] = { x: -40, y: 0 };
    const saved = saveRunbook(moved, text);
    expect(changedLines(text, saved)).toEqual(['    say-hello: { x: -40, y: 0 }', '    confirm: { x: 320, y: 150 }']);
    expect(load(saved).planHash).toBe(before.planHash);
  });

  it('keeps every comment and the author’s formatting through an edit', () => {
    const { runbook } = load(commented);
    const edited = structuredClone(runbook);
    const second = edited.nodes[1]!;
    if (second.kind !== 'http') throw new Error('expected http');
    second.config.url = 'http://127.0.0.1:2/ready';
    const saved = saveRunbook(edited, commented);
    expect(changedLines(commented, saved)).toEqual(['      url: http://127.0.0.1:2/ready']);
    const comments = (text: string) => text.split('\n').flatMap((l) => /#.*/.exec(l) ?? []);
    expect(comments(saved)).toEqual(comments(commented));
    expect(load(saved).runbook).toEqual(edited);
  });

  it('adds and removes nodes and edges, keeping the comments of the nodes that stay', () => {
    const { runbook } = load(commented);
    const edited = structuredClone(runbook);
    edited.nodes.splice(1, 1, { id: 'third', kind: 'shell', config: { command: ['echo', 'three'] } } as never);
    edited.edges = [{ from: 'first', to: 'third' }];
    edited.layout.nodes = { first: { x: 0, y: 0 }, third: { x: 0, y: 280 } };
    const saved = saveRunbook(edited, commented);
    expect(saved).toContain('  # The first step: it must stay first.\n  - id: first');
    expect(saved).toContain('command: [echo, one] # argv, no shell');
    expect(saved).not.toContain('second');
    expect(saved).toContain('third: { x: 0, y: 280 }');
    expect(load(saved).runbook).toEqual(load(saveRunbook(edited)).runbook);
    expect(parseDocument(saved).errors).toEqual([]);
  });

  it('drops a value set back to its default, and adds a new one in the kind’s key order', () => {
    const { runbook } = load(commented);
    const edited = structuredClone(runbook);
    const second = edited.nodes[1]!;
    if (second.kind !== 'http') throw new Error('expected http');
    second.config.expectStatus = [200];
    second.config.method = 'POST';
    const saved = saveRunbook(edited, commented);
    expect(saved).toContain('      method: POST\n      url: http://127.0.0.1:1/healthz\n');
    expect(saved).not.toContain('expectStatus');
    expect(load(saved).runbook).toEqual(edited);
  });

  it('writes a fresh file when the previous text is not a valid runbook, and edits JSON text too', () => {
    const { runbook } = load(commented);
    expect(saveRunbook(runbook, 'id: [unclosed')).toBe(saveRunbook(runbook));
    expect(saveRunbook(runbook, 'id: other\n')).toBe(saveRunbook(runbook));
    const json = JSON.stringify({ id: 'json', title: 'From JSON', nodes: [{ id: 'a', kind: 'shell', config: { command: ['true'] } }] }, null, 2);
    const fromJson = load(json).runbook;
    fromJson.title = 'Edited';
    expect(load(saveRunbook(fromJson, json)).runbook).toEqual(fromJson);
  });
});
