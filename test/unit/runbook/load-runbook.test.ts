import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRunbook, stepTypes, validateRunbook, type Problem } from '@runwright/runbook';

const helloText = readFileSync(resolve(import.meta.dirname, '../../../runbooks/hello.yaml'), 'utf8');
const shellNode = (id: string, extra: Record<string, unknown> = {}) => ({ id, kind: 'shell', config: { command: ['true'] }, ...extra });

function problemsOf(document: Record<string, unknown>): Problem[] {
  const result = validateRunbook({ id: 'bad', title: 'Bad', ...document });
  if (result.ok) throw new Error('expected the document to be refused');
  return result.problems;
}

describe('loadRunbook', () => {
  it('loads the shipped hello runbook with its defaults filled in', () => {
    const result = loadRunbook(helloText);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.runbook.nodes.map((n) => `${n.id}:${n.kind}`)).toEqual(['say-hello:shell', 'confirm:checkpoint', 'check-health:http']);
    expect(result.runbook.defaults).toEqual({ timeout: '5m' });
    const confirm = result.runbook.nodes[1]!;
    expect(confirm.kind === 'checkpoint' && confirm.config).toMatchObject({ quorum: 1, fourEyes: false, approvers: { roles: ['approver', 'admin'], users: [] } });
    expect(result.planHash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('refuses text that is not YAML, at the root path', () => {
    const result = loadRunbook('id: [unclosed');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems).toEqual([{ path: '', message: expect.stringMatching(/^not valid YAML/) }]);
  });

  it('names the known kinds when a kind is unknown', () => {
    expect(problemsOf({ nodes: [{ id: 'a', kind: 'teleport', config: {} }] })).toEqual([
      { path: 'nodes.0.kind', message: `unknown step kind; known kinds are ${stepTypes.join(', ')}` },
    ]);
  });

  it('reports a duplicate id with the node that used it first', () => {
    expect(problemsOf({ nodes: [shellNode('a'), shellNode('b'), shellNode('a')] })).toEqual([
      { path: 'nodes.2.id', message: 'duplicate node id "a" (first used by nodes.0)' },
    ]);
  });

  it('reports dangling, duplicate and self-loop edges at their own paths', () => {
    const problems = problemsOf({
      nodes: [shellNode('a'), shellNode('b')],
      edges: [
        { from: 'a', to: 'b' },
        { from: 'a', to: 'ghost' },
        { from: 'a', to: 'b' },
        { from: 'b', to: 'b' },
      ],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'edges.1.to', message: 'no node with id "ghost"' },
        { path: 'edges.2', message: 'duplicate edge a → b' },
        { path: 'edges.3', message: 'node "b" cannot lead to itself' },
      ]),
    );
  });

  it('reports a cycle with the path that closes it', () => {
    const problems = problemsOf({
      nodes: [shellNode('start'), shellNode('a'), shellNode('b'), shellNode('c')],
      edges: [
        { from: 'start', to: 'a' },
        { from: 'a', to: 'b' },
        { from: 'b', to: 'c' },
        { from: 'c', to: 'a' },
      ],
    });
    expect(problems).toEqual([{ path: 'nodes.1', message: 'the graph has a cycle: a → b → c → a' }]);
  });

  it('refuses a duration operators would not write', () => {
    expect(problemsOf({ nodes: [shellNode('a', { timeout: '10 minutes' })] })).toEqual([
      { path: 'nodes.0.timeout', message: 'a duration such as 500ms, 30s, 10m, 2h or 1d' },
    ]);
  });

  it('refuses parameter defaults that are not valid values of the parameter', () => {
    const problems = problemsOf({
      parameters: {
        count: { type: 'number', default: 'three' },
        region: { type: 'string', enum: ['eu', 'us'], default: 'mars' },
        host: { type: 'string', pattern: '^db-[0-9]+$', default: 'web-1' },
        batch: { type: 'number', min: 1, max: 10, default: 50 },
      },
      nodes: [shellNode('a')],
    });
    expect(problems.map((p) => p.path)).toEqual(['parameters.count.default']);
    const semantic = problemsOf({
      parameters: {
        region: { type: 'string', enum: ['eu', 'us'], default: 'mars' },
        host: { type: 'string', pattern: '^db-[0-9]+$', default: 'web-1' },
        batch: { type: 'number', min: 1, max: 10, default: 50 },
        broken: { type: 'string', pattern: '([' },
      },
      nodes: [shellNode('a')],
    });
    expect(semantic.map((p) => p.path)).toEqual([
      'parameters.region.default',
      'parameters.host.default',
      'parameters.batch.default',
      'parameters.broken.pattern',
    ]);
    expect(semantic[1]!.message).toBe('the default is not a valid value: must match ^db-[0-9]+$');
  });

  it('refuses a listedIn that names no list parameter, and a default its list leaves out', () => {
    const problems = problemsOf({
      parameters: {
        allowed: { type: 'list', format: 'path', default: ['/var', '/../etc'] },
        mountpoint: { type: 'string', format: 'path', listedIn: 'allowed', default: '/srv' },
        other: { type: 'string', listedIn: 'mountpoint' },
        missing: { type: 'string', listedIn: 'nowhere' },
        hosts: { type: 'list', pattern: '(' },
      },
      nodes: [shellNode('a')],
    });
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'parameters.allowed.default.1: the default is not a valid value: an absolute path without `.` or `..` segments, empty segments or a trailing /, and not / itself',
      'parameters.mountpoint.default: the default is not a valid value: it is not in the default of allowed',
      'parameters.other.listedIn: mountpoint is not a list parameter of this runbook',
      'parameters.missing.listedIn: nowhere is not a list parameter of this runbook',
      expect.stringMatching(/^parameters\.hosts\.pattern: not a valid regular expression/),
    ]);
  });

  it('reports a template that does not parse at the exact config field', () => {
    expect(problemsOf({ nodes: [shellNode('a', { config: { command: ['echo', 'x={{ params.( }}'] } })] })).toEqual([
      { path: 'nodes.0.config.command.1', message: 'expression {{ params.( }} does not parse: Expected ")" before end of expression' },
    ]);
  });

  it('refuses a checkpoint no one can decide, and a quorum larger than the named approvers', () => {
    const problems = problemsOf({
      nodes: [
        { id: 'nobody', kind: 'checkpoint', config: { title: 'x', approvers: { roles: [], users: [] } } },
        { id: 'too-few', kind: 'checkpoint', config: { title: 'y', approvers: { roles: [], users: ['ann'] }, quorum: 2 } },
      ],
      edges: [{ from: 'nobody', to: 'too-few' }],
    });
    expect(problems).toEqual([
      { path: 'nodes.0.config.approvers', message: 'no one may decide: give at least one role or user' },
      { path: 'nodes.1.config.quorum', message: 'quorum 2 exceeds the 1 named approvers' },
    ]);
  });

  it('lists every problem of a document at once', () => {
    const problems = problemsOf({
      nodes: [shellNode('a', { timeout: 'soon' }), { id: 'B', kind: 'shell', config: { command: [] } }],
    });
    expect(problems.map((p) => p.path).sort()).toEqual(['nodes.0.timeout', 'nodes.1.config.command', 'nodes.1.id']);
  });
});
