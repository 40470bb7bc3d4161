import { describe, expect, it } from 'vitest';
import { evaluateExpression, expressionRoots, parseExpression, renderTemplates, templateExpressions, type ExpressionScope } from '@runwright/runbook';

const scope: ExpressionScope = {
  params: { hosts: ['a', 'b'], who: 'Ada; rm -rf /', count: 3 },
  steps: { probe: { output: { stdout: 'ok\n', json: { lag: 0.5 } }, status: 'succeeded' } },
  run: { id: 'run-1', runbookId: 'hello', startedBy: 'alice' },
};

describe('templates', () => {
  it('keeps the type of a string that is exactly one expression', async () => {
    expect(await renderTemplates({ items: '{{ params.hosts }}', n: '{{ params.count * 2 }}' }, scope)).toEqual({ items: ['a', 'b'], n: 6 });
  });

  it('joins parts as text, writing nothing for missing values and JSON for structures', async () => {
    expect(await renderTemplates('hi {{ params.who }} ({{ params.nothing }}) {{ params.hosts }}', scope)).toBe('hi Ada; rm -rf / () ["a","b"]');
  });

  it('renders nested configs and leaves non-template values alone', async () => {
    const rendered = await renderTemplates({ command: ['echo', '{{ $trim(steps.probe.output.stdout) }}'], env: { LAG: '{{ steps.probe.output.json.lag }}' }, retries: 2, on: true }, scope);
    expect(rendered).toEqual({ command: ['echo', 'ok'], env: { LAG: 0.5 }, retries: 2, on: true });
  });

  it('finds every {{ }} part, parses JSONata, and names what an expression reads', async () => {
    expect(templateExpressions('a {{ x }} b {{ y.z }}')).toEqual(['x', 'y.z']);
    expect(parseExpression('params.count >')).toMatchObject({ ok: false });
    expect(await evaluateExpression("run.startedBy & '@' & run.runbookId", scope)).toBe('alice@hello');
    expect([...expressionRoots('params.a and steps.b.output.c or $exists(item)')].sort()).toEqual(['item', 'params', 'steps']);
  });
});
