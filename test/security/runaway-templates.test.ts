// Templates and conditions are JSONata, and JSONata is a full language: recursion, loops without
// end, built-ins that allocate what they are told to. Every evaluation runs under counting
// budgets (steps, depth, sizes), so a runaway expression fails where it is used — in workflow
// code, its node, with a clear error — instead of blocking a process or failing the workflow
// task for ever. (The API side, with a clock, is runaway-templates-api.test.ts.)
import jsonata from 'jsonata';
import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateBounded, evaluateExpression, expressionLimits, renderTemplates, stepErrors, type ExpressionScope } from '@runwright/runbook';
import { eventually } from '../support/eventually.js';
import { interpreterHarness, shell, stateOf } from '../workflow/interpreter-harness.js';

const scope: ExpressionScope = { params: { hosts: ['db-1', 'db-2'], count: 3 }, steps: {}, run: { id: 'run-1', runbookId: 'test', startedBy: 'alice' } };

/** Hostile expressions, each with what must stop it. */
const runaways: [string, string, RegExp][] = [
  ['deep tail recursion (the issue’s example)', "($f := function($i){ $i = 0 ? 'done' : $f($i - 1) }; $f(200000))", /evaluation steps/],
  ['a loop with no exit', '($f := function($i){ $f($i + 1) }; $f(0))', /evaluation steps/],
  ['recursion with no exit that is not a tail call', '($f := function($i){ 1 + $f($i + 1) }; $f(0))', /nested deeper than|evaluation steps/],
  ['a padded text of two million characters', "$pad('', 2000000, 'x')", /text of 2,000,000 characters/],
  ['a padded text of a billion characters', "$pad('', 1000000000, 'x')", /text of 1,000,000,000 characters/],
  ['$string of a large array', '$string([1..1000000])', /list of 1,000,000 items/],
  ['a range of ten million', '$count([1..10000000])', /list of 10,000,000 items/],
  ['$string of one array repeated', "($a := [1..100000]; $string({'a': $a, 'b': $a, 'c': $a, 'd': $a}))", /text of|evaluation steps/],
  ['a text that doubles without end', "($f := function($s){ $f($s & $s) }; $f('xxxxxxxx'))", /text of|evaluation steps/],
  ['quadratic work in one operator', '[1..100000][$ in [1..100000]]', /evaluation steps/],
  ['a loop with no exit inside $eval', '$eval("($f := function($i){ $f($i + 1) }; $f(0))")', /evaluation steps/],
];

const failureOf = (evaluation: Promise<unknown>) =>
  evaluation.then(
    (value) => new Error(`evaluated to ${JSON.stringify(value)?.slice(0, 80)}`),
    (e: unknown) => e as Error,
  );

describe('every evaluation is bounded by counting budgets', () => {
  for (const [what, expression, limit] of runaways) {
    it(`stops ${what} with an ExpressionLimit error naming the limit`, async () => {
      // As a template or condition (the small profile workflow code uses), and as an assertion.
      for (const error of [await failureOf(evaluateExpression(expression, scope)), await failureOf(evaluateBounded(expression, scope, expressionLimits.assertions))]) {
        expect(error.name).toBe(stepErrors.expressionLimit);
        expect(error.message).toMatch(limit);
        expect(error.message).toContain('expression ');
      }
    });
  }

  it('checks what a built-in would make before it makes it', async () => {
    // Four references to a 100,000-item list are cheap; their JSON text is not.
    const error = await failureOf(evaluateBounded("($a := [1..100000]; $string({'a': $a, 'b': $a, 'c': $a, 'd': $a}))", {}, expressionLimits.assertions));
    expect(error.message).toMatch(/made a text of [\d,]+ characters/);
  });

  it('gives exactly what JSONata gives for expressions within the limits', async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => ({ host: `h${i % 50}`, lag: i % 7, tags: [i % 3] }));
    const small = { ...scope, steps: { q: { output: { rows: rows.slice(0, 40) } } } };
    const large = { ...scope, steps: { q: { output: { rows } } } };
    const expressions = [
      "params.hosts[0] & ':' & $string(params.count)",
      '$distinct(steps.q.output.rows.host)',
      '$distinct(steps.q.output.rows.tags)',
      "$distinct([1, 1, '1', null, null, {'a': 1}, {'a': 1}, [1, 2], [1, 2], true, true])",
      '$count(steps.q.output.rows[lag > 3])',
      '$string(steps.q.output.rows[[0..2]], true)',
      "$join(steps.q.output.rows[[0..9]].host, ', ')",
      "$pad('7', -5, '0') & '|' & $pad('abc', 6)",
      "($f := function($i){ $i = 0 ? 'done' : $f($i - 1) }; $f(200))",
      '$sort(steps.q.output.rows[[0..19]], function($a, $b){ $a.lag > $b.lag }).lag',
      '$sum([1..1000])',
      "$eval('1 + 2')",
    ];
    const plain = (value: unknown) => JSON.parse(JSON.stringify(value ?? null)) as unknown;
    for (const expression of expressions) {
      expect(plain(await evaluateExpression(expression, small)), expression).toEqual(plain(await jsonata(expression).evaluate(small)));
      expect(plain(await evaluateBounded(expression, large, expressionLimits.assertions)), expression).toEqual(plain(await jsonata(expression).evaluate(large)));
    }
  });

  it('renders the templates of one config on one budget: a runaway one fails the render, the others are untouched', async () => {
    await expect(renderTemplates({ fine: '{{ params.count * 2 }}', bad: "{{ $pad('', 2000000) }}" }, scope)).rejects.toMatchObject({ name: stepErrors.expressionLimit });
    expect(await renderTemplates({ fine: '{{ params.count * 2 }}', text: 'on {{ params.hosts[1] }}' }, scope)).toEqual({ fine: 6, text: 'on db-2' });
  });

  it('keeps the limits generous for real runbooks', () => {
    // The shipped runbooks and the tests evaluate in tens of steps; these leave room for far more.
    expect(expressionLimits.templates.steps).toBeGreaterThanOrEqual(2_000);
    expect(expressionLimits.templates.textLength).toBeGreaterThan(1_048_576);
    expect(expressionLimits.templates.listLength).toBeGreaterThanOrEqual(10_000);
  });
});

describe('a runaway template in workflow code fails its node, not the workflow task', () => {
  let harness: Awaited<ReturnType<typeof interpreterHarness>>;
  beforeAll(async () => {
    harness = await interpreterHarness();
  });
  afterAll(async () => harness?.stop());

  /** Waits (up to a minute) for the run to close, and fails naming the workflow task failures if it never does. */
  async function closedRun(handle: WorkflowHandle) {
    await eventually(
      async () => (await handle.describe()).status.name,
      (status) => status !== 'RUNNING',
      {
        what: 'the run to end',
        attempts: 600,
        detail: () => 'a run that never ends here is stuck failing its workflow task',
      },
    ).catch(async (error: Error) => {
      const history = await handle.fetchHistory();
      const failures = history.events?.filter((e) => e.workflowTaskFailedEventAttributes).map((e) => e.workflowTaskFailedEventAttributes?.failure?.message) ?? [];
      await handle.terminate('test gave up').catch(() => undefined);
      throw new Error(`${error.message}; workflow task failures: ${JSON.stringify(failures.slice(0, 2))}`);
    });
    const history = await handle.fetchHistory();
    return { state: await stateOf(handle), taskFailures: history.events?.filter((e) => e.workflowTaskFailedEventAttributes).length ?? 0 };
  }

  it('in an action config, a when condition, a branch and a concurrency key', async () => {
    const runaway = '($f := function($i){ $f($i + 1) }; $f(0))';
    const cases = [
      { where: 'config', nodes: [shell('greet', ['echo', `{{ ${runaway} }}`])] },
      { where: 'when', nodes: [shell('greet', ['echo', 'hi'], { when: runaway })] },
      { where: 'branch', nodes: [{ id: 'greet', kind: 'branch', config: { expression: "$pad('', 2000000, 'x')" } }, shell('after', ['true'])], edges: [{ from: 'greet', to: 'after', label: 'default' }] },
      { where: 'the issue’s example', nodes: [shell('greet', ['echo', "{{ ($f := function($i){ $i = 0 ? 'done' : $f($i - 1) }; $f(200000)) }}"])] },
    ];
    for (const { where, ...document } of cases) {
      const { handle } = await harness.start(document);
      const { state, taskFailures } = await closedRun(handle);
      expect(state.status, where).toBe('failed');
      expect(state.nodes.greet, where).toMatchObject({ status: 'failed', error: { type: stepErrors.expressionLimit } });
      expect(state.nodes.greet!.error!.message, where).toMatch(/expression .*(evaluation steps|characters)/);
      expect(taskFailures, `${where}: workflow task failures`).toBe(0);
    }

    const { handle } = await harness.start({ concurrency: { key: `{{ ${runaway} }}` }, nodes: [shell('greet', ['true'])] });
    const { state, taskFailures } = await closedRun(handle);
    expect(state.status).toBe('failed');
    expect(state.error?.message).toMatch(/^concurrency\.key: expression .*evaluation steps/);
    expect(taskFailures).toBe(0);
  });
});
