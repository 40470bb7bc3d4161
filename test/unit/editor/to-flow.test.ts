import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { toDraft } from '../../../apps/editor/src/document/draft.js';
import { checkDraft } from '../../../apps/editor/src/document/node-problems.js';
import { toFlow } from '../../../apps/editor/src/canvas/to-flow.js';
import { runbooksFolder } from '../../support/runbooks.js';

const hello = () => toDraft(parse(readFileSync(resolve(runbooksFolder, 'hello.yaml'), 'utf8')));

describe('to-flow: a runbook document becomes React Flow nodes and edges', () => {
  it('gives each node its saved position, its kind label from the registry and its title', () => {
    const { nodes, edges } = toFlow(hello());
    expect(nodes.map((n) => [n.id, n.position, n.data.kindLabel, n.data.title, n.data.category])).toEqual([
      ['say-hello', { x: 0, y: 0 }, 'Shell command', 'Say hello', 'actions'],
      ['confirm', { x: 0, y: 140 }, 'Checkpoint', 'Confirm the greeting', 'human'],
      ['check-health', { x: 0, y: 280 }, 'HTTP request', "Check the API's health", 'actions'],
    ]);
    expect(edges.map((e) => [e.id, e.source, e.target])).toEqual([
      ['say-hello->confirm', 'say-hello', 'confirm'],
      ['confirm->check-health', 'confirm', 'check-health'],
    ]);
    expect(nodes.every((n) => n.data.state === undefined && n.data.problems.length === 0)).toBe(true);
  });

  it('places nodes without a saved position in rows by their depth in the graph', () => {
    const draft = { ...hello(), layout: { nodes: {}, notes: [] } };
    draft.edges.push({ from: 'say-hello', to: 'check-health' });
    const positions = Object.fromEntries(toFlow(draft).nodes.map((n) => [n.id, n.position]));
    // check-health sits below confirm: its depth is the longest path to it, not the shortest.
    expect(positions).toEqual({ 'say-hello': { x: 0, y: 0 }, confirm: { x: 0, y: 140 }, 'check-health': { x: 0, y: 280 } });
  });

  it('overlays live states and animates the edge into a running node', () => {
    const state = (status: string) => ({ status, attempts: 1 }) as never;
    const { nodes, edges } = toFlow(hello(), { states: { 'say-hello': state('succeeded'), confirm: state('running') } });
    expect(nodes.map((n) => n.data.state?.status ?? 'none')).toEqual(['succeeded', 'running', 'none']);
    expect(edges.map((e) => e.animated)).toEqual([true, false]);
  });

  it('puts the problems of the shared checks on the node they concern, and marks the selection', () => {
    const draft = hello();
    draft.nodes[2]!.config = { ...draft.nodes[2]!.config, url: '' };
    const check = checkDraft(draft);
    const { nodes, edges } = toFlow(draft, { problems: check.byNode, selected: ['confirm', 'say-hello->confirm'] });
    expect(nodes.find((n) => n.id === 'check-health')!.data.problems).toEqual([
      { path: 'nodes.2.config.url', message: expect.any(String) },
    ]);
    expect(nodes.filter((n) => n.data.problems.length > 0).map((n) => n.id)).toEqual(['check-health']);
    expect(nodes.filter((n) => n.selected).map((n) => n.id)).toEqual(['confirm']);
    expect(edges.filter((e) => e.selected).map((e) => e.id)).toEqual(['say-hello->confirm']);
  });

  it('draws the nodes inside a forEach as its children, in a group sized to hold them', () => {
    const draft = hello();
    draft.nodes.push(
      { id: 'each-host', kind: 'forEach', config: { items: 'params.hosts' } },
      { id: 'drain', kind: 'shell', parent: 'each-host', config: { command: ['true'] } },
      { id: 'upgrade', kind: 'shell', parent: 'each-host', config: { command: ['true'] } },
    );
    draft.edges.push({ from: 'check-health', to: 'each-host' }, { from: 'drain', to: 'upgrade' });
    draft.layout.nodes['each-host'] = { x: 0, y: 420 };
    draft.layout.nodes.upgrade = { x: 20, y: 300 };
    const { nodes } = toFlow(draft);
    // Parents come before their children, as React Flow requires.
    expect(nodes.map((n) => n.id)).toEqual(['say-hello', 'confirm', 'check-health', 'each-host', 'drain', 'upgrade']);
    const byId = Object.fromEntries(nodes.map((n) => [n.id, n]));
    expect(byId.drain).toMatchObject({ parentId: 'each-host', extent: 'parent', position: { x: 20, y: 56 } });
    expect(byId.upgrade).toMatchObject({ parentId: 'each-host', position: { x: 20, y: 300 } });
    expect(byId['each-host']).toMatchObject({ position: { x: 0, y: 420 }, style: { width: 260, height: 416 }, data: { children: 2 } });
    expect(byId['say-hello']!.parentId).toBeUndefined();
  });

  it('shows a node of an unknown kind instead of dropping it', () => {
    const draft = hello();
    draft.nodes.push({ id: 'mystery', kind: 'teleport', config: {} });
    const node = toFlow(draft).nodes.find((n) => n.id === 'mystery')!;
    expect(node.data.kindLabel).toBe('unknown kind "teleport"');
    expect(checkDraft(draft).byNode.mystery).toEqual([{ path: 'nodes.3.kind', message: expect.stringMatching(/unknown step kind/) }]);
  });
});
