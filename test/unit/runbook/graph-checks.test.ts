import { describe, expect, it } from 'vitest';
import {
  checkEdgeLabels,
  checkExpressions,
  checkReachability,
  checkScopes,
  stepReferences,
  validateRunbook,
  type Problem,
  type Runbook,
} from '@runwright/runbook';

const shell = (id: string, extra: Record<string, unknown> = {}) => ({ id, kind: 'shell', config: { command: ['true'] }, ...extra });
const echo = (id: string, text: string, extra: Record<string, unknown> = {}) => ({ id, kind: 'shell', config: { command: ['echo', text] }, ...extra });
const edge = (from: string, to: string, label?: string) => ({ from, to, ...(label !== undefined && { label }) });

function problemsOf(document: Record<string, unknown>): Problem[] {
  const result = validateRunbook({ id: 'graph', title: 'Graph', ...document });
  return result.ok ? [] : result.problems;
}

/** Kinds the interpreter helper is still adding; the checks work on the plain document shape. */
function graph(nodes: Record<string, unknown>[], edges: ReturnType<typeof edge>[]): Pick<Runbook, 'nodes' | 'edges'> {
  return { nodes, edges } as unknown as Pick<Runbook, 'nodes' | 'edges'>;
}

describe('step references in expressions', () => {
  it('finds steps.<id> in the parsed expression, in every written form', () => {
    expect(stepReferences("steps.a.output.stdout & steps['db-1'].output & steps.`x-y`.output").map((r) => r.id)).toEqual(['a', 'db-1', 'x-y']);
    expect(stepReferences('$count(steps.hosts.output.items[status = "failed"]) > 0').map((r) => r.id)).toEqual(['hosts']);
    expect(stepReferences('"steps.a is just text" & params.steps')).toEqual([]);
  });

  it('accepts references to upstream steps, directly or through other nodes', () => {
    expect(
      problemsOf({
        nodes: [shell('a'), shell('b'), echo('c', "{{ steps.a.output.stdout }} {{ steps['b'].output.exitCode }}")],
        edges: [edge('a', 'b'), edge('b', 'c')],
      }),
    ).toEqual([]);
  });

  it('refuses a reference to a step that is not upstream, to an unknown step, and to itself', () => {
    expect(
      problemsOf({
        nodes: [shell('a'), shell('side'), echo('c', '{{ steps.side.output.stdout }}{{ steps.ghost.output }}{{ steps.c.output }}')],
        edges: [edge('a', 'c')],
      }),
    ).toEqual([
      {
        path: 'nodes.2.config.command.1',
        message: 'expression {{ steps.side.output.stdout }} reads steps.side, but "side" is not upstream of "c" (add an edge path from it, or its output may not exist yet)',
      },
      { path: 'nodes.2.config.command.1', message: 'expression {{ steps.ghost.output }} reads steps.ghost, but there is no node "ghost"' },
      { path: 'nodes.2.config.command.1', message: 'expression {{ steps.c.output }} reads the output of its own node "c"' },
    ]);
  });

  it('checks the node condition `when` as one expression: parsing and references', () => {
    expect(problemsOf({ nodes: [shell('a'), shell('b', { when: 'steps.a.output.exitCode = ' })], edges: [edge('a', 'b')] })).toEqual([
      { path: 'nodes.1.when', message: expect.stringMatching(/^condition steps\.a\.output\.exitCode = does not parse: /) },
    ]);
    expect(problemsOf({ nodes: [shell('a'), shell('b', { when: '{{ steps.a.output.exitCode = 0 }}' })], edges: [edge('a', 'b')] })).toEqual([
      { path: 'nodes.1.when', message: 'condition {{ steps.a.output.exitCode = 0 }} is a whole expression: write it without {{ }}' },
    ]);
    expect(problemsOf({ nodes: [shell('a'), shell('b', { when: 'steps.a.output.exitCode = 0' })], edges: [edge('a', 'b')] })).toEqual([]);
    expect(problemsOf({ nodes: [shell('a'), shell('b', { when: 'steps.a.output.exitCode = 0' })], edges: [] })[0]).toMatchObject({
      path: 'nodes.1.when',
      message: expect.stringContaining('"a" is not upstream of "b"'),
    });
  });

  it('checks whole-expression config fields of control kinds, and lets a forEach body read the outer graph', () => {
    const problems = checkExpressions(
      graph(
        [
          shell('inventory'),
          { id: 'hosts', kind: 'forEach', config: { items: 'steps.inventory.output.stdout ~> $split("\\n")', key: 'item.(' } },
          echo('upgrade', '{{ item }} after {{ steps.inventory.output.exitCode }}', { parent: 'hosts' }),
          echo('verify', '{{ steps.upgrade.output.stdout }}', { parent: 'hosts' }),
          { id: 'route', kind: 'branch', config: { expression: 'steps.nowhere.output' } },
        ],
        [edge('inventory', 'hosts'), edge('upgrade', 'verify'), edge('hosts', 'route')],
      ),
    );
    expect(problems).toEqual([
      { path: 'nodes.1.config.key', message: expect.stringMatching(/^condition item\.\( does not parse: /) },
      { path: 'nodes.4.config.expression', message: 'condition steps.nowhere.output reads steps.nowhere, but there is no node "nowhere"' },
    ]);
  });
});

describe('reachability', () => {
  it('accepts several start nodes: they run in parallel', () => {
    expect(problemsOf({ nodes: [shell('a'), shell('b'), shell('join')], edges: [edge('a', 'join'), edge('b', 'join')] })).toEqual([]);
  });

  it('reports nodes reached only through a node whose condition is always false, naming where the run starts', () => {
    expect(
      problemsOf({
        nodes: [shell('a'), shell('b'), shell('off', { when: 'false' }), shell('after-off')],
        edges: [edge('off', 'after-off')],
      }),
    ).toEqual([
      { path: 'nodes.2', message: 'node "off" never runs: its condition is always false' },
      {
        path: 'nodes.3',
        message: 'node "after-off" can never run: every path to it passes a node or edge that is never taken; the run starts at "a", "b", "off" (the nodes with no incoming edge)',
      },
    ]);
  });

  it('reports edges a constant branch never takes, and what hangs only from them', () => {
    const problems = checkReachability(
      graph(
        [{ id: 'pick', kind: 'branch', config: { expression: "'fast'" } }, shell('fast'), shell('safe'), shell('also-safe'), shell('end')],
        [edge('pick', 'fast', 'fast'), edge('pick', 'safe', 'safe'), edge('safe', 'also-safe'), edge('fast', 'end'), edge('also-safe', 'end')],
      ),
    );
    expect(problems).toEqual([
      { path: 'edges.1.label', message: 'this edge is never taken: branch "pick" always takes "fast" (its expression is the constant "fast")' },
      { path: 'nodes.2', message: expect.stringMatching(/^node "safe" can never run: .* the run starts at "pick"$/) },
      { path: 'nodes.3', message: expect.stringMatching(/^node "also-safe" can never run/) },
    ]);
  });

  it('starts a forEach body at its own start nodes', () => {
    const problems = checkReachability(
      graph(
        [{ id: 'each', kind: 'forEach', config: { items: 'params.hosts' } }, shell('drain', { parent: 'each' }), shell('off', { parent: 'each', when: 'false' }), shell('after', { parent: 'each' })],
        [edge('off', 'after')],
      ),
    );
    expect(problems.map((p) => p.path)).toEqual(['nodes.2', 'nodes.3']);
    expect(problems[1]!.message).toContain('the body of "each" starts at "drain", "off"');
  });
});

describe('edge labels and forEach bodies', () => {
  it('requires every edge leaving a branch to carry a distinct label, and no label elsewhere', () => {
    const problems = checkEdgeLabels(
      graph(
        [{ id: 'pick', kind: 'branch', config: { expression: 'params.mode' } }, shell('a'), shell('b'), shell('c'), shell('d')],
        [edge('pick', 'a', 'fast'), edge('pick', 'b'), edge('pick', 'c', 'fast'), edge('a', 'd', 'fast')],
      ),
    );
    expect(problems).toEqual([
      { path: 'edges.1', message: 'edge pick → b leaves branch "pick" without a label: name the outcome that takes it' },
      { path: 'edges.2.label', message: 'branch "pick" already has an edge labelled "fast" (edges.0)' },
      { path: 'edges.3.label', message: 'only branch nodes label their edges; "a" is a shell node and takes every outgoing edge' },
    ]);
  });

  it('refuses a parent that is not a forEach, and edges crossing into a forEach body', () => {
    const problems = checkScopes(
      graph(
        [shell('a'), { id: 'each', kind: 'forEach', config: { items: 'params.hosts' } }, shell('inner', { parent: 'each' }), shell('odd', { parent: 'a' }), shell('lost', { parent: 'ghost' })],
        [edge('a', 'inner'), edge('a', 'each')],
      ),
    );
    expect(problems).toEqual([
      { path: 'nodes.3.parent', message: '"a" is a shell node; only forEach nodes hold other nodes' },
      { path: 'nodes.4.parent', message: 'no node with id "ghost"' },
      { path: 'edges.0', message: 'edge a → inner crosses from the runbook graph into the body of "each"; edges stay inside one graph' },
    ]);
  });
});

describe('the checks on the control kinds, through loadRunbook', () => {
  const branchDoc = (edges: ReturnType<typeof edge>[]) => ({
    nodes: [{ id: 'pick', kind: 'branch', config: { expression: 'params.mode' } }, shell('fast'), shell('safe')],
    parameters: { mode: { type: 'string', default: 'safe' } },
    edges,
  });

  it('refuses a branch edge without a label and accepts labelled ones', () => {
    expect(problemsOf(branchDoc([edge('pick', 'fast', 'fast'), edge('pick', 'safe')]))).toEqual([
      { path: 'edges.1', message: 'edge pick → safe leaves branch "pick" without a label: name the outcome that takes it' },
    ]);
    expect(problemsOf(branchDoc([edge('pick', 'fast', 'fast'), edge('pick', 'safe', 'default')]))).toEqual([]);
  });

  it('refuses item outside a forEach body, and accepts it inside one and in the forEach key', () => {
    const problems = problemsOf({
      parameters: { hosts: { type: 'list', default: ['a'] } },
      nodes: [
        { id: 'each', kind: 'forEach', config: { items: 'params.hosts', key: 'item' } },
        echo('inside', '{{ item }}', { parent: 'each' }),
        echo('outside', '{{ item }}'),
      ],
      edges: [edge('each', 'outside')],
    });
    expect(problems).toEqual([{ path: 'nodes.2.config.command.1', message: 'expression {{ item }} reads item, but "outside" is not inside a forEach, so there is no item' }]);
  });

  it('checks the canary checkpoint of a forEach like any checkpoint', () => {
    const problems = problemsOf({
      nodes: [
        {
          id: 'each',
          kind: 'forEach',
          config: { items: '["a","b"]', canary: { size: 1, checkpoint: { title: 'Canary ok?', approvers: { roles: [], users: [] }, checklist: [{ id: 'x', label: 'X' }, { id: 'x', label: 'Again' }] } } },
        },
        shell('body', { parent: 'each' }),
      ],
    });
    expect(problems).toEqual([
      { path: 'nodes.0.config.canary.checkpoint.approvers', message: 'no one may decide: give at least one role or user' },
      { path: 'nodes.0.config.canary.checkpoint.checklist.1.id', message: 'checklist item "x" is already checklist.0' },
    ]);
  });

  it('refuses approver roles no token can hold, and role lists that leave no one able to decide', () => {
    expect(problemsOf({ nodes: [{ id: 'gate', kind: 'checkpoint', config: { title: 'Gate', approvers: { roles: ['dba', 'operator'] } } }] })).toEqual([
      { path: 'nodes.0.config.approvers.roles.0', message: 'no API token can hold the role "dba"; roles are viewer, operator, approver, admin' },
      { path: 'nodes.0.config.approvers.roles', message: 'no one may decide: deciding a checkpoint takes the role approver or admin, and none of dba, operator is one' },
    ]);
    expect(problemsOf({ nodes: [{ id: 'gate', kind: 'checkpoint', config: { title: 'Gate', approvers: { roles: ['operator'], users: ['carol'] } } }] })).toEqual([]);
  });

  it('refuses an escalating checkpoint with nothing to escalate with, or no timeout to escalate on', () => {
    expect(problemsOf({ nodes: [{ id: 'gate', kind: 'checkpoint', config: { title: 'Gate', onTimeout: 'escalate' } }] })).toEqual([
      { path: 'nodes.0.config.escalate', message: 'onTimeout is escalate: say which action escalates (for example an http call to the pager)' },
      { path: 'nodes.0.config.timeout', message: 'onTimeout is escalate, but without a timeout the checkpoint waits for ever' },
    ]);
  });
});

describe('parameters and sub-runbooks in expressions and configs', () => {
  it('refuses an expression reading a parameter the runbook does not declare, naming those it does', () => {
    expect(
      problemsOf({
        parameters: { region: { type: 'string', default: 'eu' } },
        nodes: [echo('a', "{{ params.regoin }} {{ params['region'] }}"), shell('b', { when: 'params.dryrun' })],
        edges: [edge('a', 'b')],
      }),
    ).toEqual([
      { path: 'nodes.0.config.command.1', message: 'expression {{ params.regoin }} reads params.regoin, but the runbook declares no parameter "regoin" (declared: region)' },
      { path: 'nodes.1.when', message: 'condition params.dryrun reads params.dryrun, but the runbook declares no parameter "dryrun" (declared: region)' },
    ]);
  });

  it('refuses a sub-runbook node that starts its own runbook', () => {
    expect(problemsOf({ nodes: [{ id: 'again', kind: 'subRunbook', config: { runbook: 'graph' } }] })).toEqual([
      { path: 'nodes.0.config.runbook', message: '"again" starts this runbook itself, which would start child runs without end' },
    ]);
    expect(problemsOf({ nodes: [{ id: 'other', kind: 'subRunbook', config: { runbook: 'backup' } }] })).toEqual([]);
  });
});

describe('trigger templates', () => {
  it('must parse and may read only the alert', () => {
    const problems = problemsOf({
      parameters: { host: { type: 'string' }, note: { type: 'string', default: '' } },
      triggers: {
        alerts: [{ name: 'disk', match: [{ label: 'alertname', value: 'DiskFull' }], params: { host: '{{ alert.labels.instance }}', note: '{{ alert.( }}' } }],
        webhooks: [{ name: 'hook', params: { host: '{{ params.host }}' } }],
      },
      nodes: [shell('a')],
    });
    expect(problems).toEqual([
      { path: 'triggers.alerts.0.params.note', message: expect.stringMatching(/^expression \{\{ alert\.\( \}\} does not parse: /) },
      { path: 'triggers.webhooks.0.params.host', message: 'expression {{ params.host }} reads params, which do not exist before the run starts; a trigger can read only alert' },
    ]);
  });
});

describe('forEach bodies', () => {
  it('refuses a forEach with nothing to run per item', () => {
    expect(problemsOf({ nodes: [{ id: 'each', kind: 'forEach', config: { items: '[1, 2]' } }] })).toEqual([
      { path: 'nodes.0', message: 'forEach "each" has no nodes to run per item: give some nodes `parent: each`' },
    ]);
  });
});

describe('values never spliced into code', () => {
  it('refuses templates in a shell script or an SQL statement, and accepts them in env and argv', () => {
    const problems = problemsOf({
      parameters: { who: { type: 'string', default: 'x' } },
      nodes: [
        { id: 'greet', kind: 'shell', config: { script: 'echo hello {{ params.who }}', env: { WHO: '{{ params.who }}' } } },
        { id: 'argv', kind: 'shell', config: { command: ['echo', '{{ params.who }}'] } },
        { id: 'query', kind: 'postgres.sql', config: { connection: { host: '127.0.0.1', database: 'x', user: 'x' }, sql: "select '{{ params.who }}'" } },
      ],
    });
    expect(problems).toEqual([
      { path: 'nodes.0.config.script', message: 'expression {{ params.who }} would be spliced into script as code; pass the value through env, and read it as "$NAME"' },
      { path: 'nodes.2.config.sql', message: 'expression {{ params.who }} would be spliced into sql as code; pass the value through params ($1, $2…)' },
    ]);
  });
});

describe('constant branches', () => {
  it('reports a constant branch that matches no edge and has no default edge', () => {
    const problems = checkReachability(
      graph([{ id: 'pick', kind: 'branch', config: { expression: '3' } }, shell('a')], [edge('pick', 'a', 'fast')]),
    );
    expect(problems[0]).toEqual({
      path: 'edges.0.label',
      message: 'this edge is never taken: branch "pick" always gives 3, which no edge is labelled with, and it has no "default" edge: the run would fail there',
    });
    expect(checkReachability(graph([{ id: 'pick', kind: 'branch', config: { expression: '3' } }, shell('a'), shell('b')], [edge('pick', 'a', '3'), edge('pick', 'b', 'default')]))).toMatchObject([
      { path: 'edges.1.label' },
      { path: 'nodes.2' },
    ]);
  });
});
