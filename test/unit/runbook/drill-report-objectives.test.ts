import { describe, expect, it } from 'vitest';
import { planHash, runbookJsonSchema, validateRunbook, type Problem, type Runbook } from '@runwright/runbook';

const shell = (id: string, extra: Record<string, unknown> = {}) => ({ id, kind: 'shell', config: { command: ['true'] }, ...extra });
const edge = (from: string, to: string) => ({ from, to });

const drill = (objectives: Record<string, unknown>, nodes: Record<string, unknown>[] = [shell('fail-over'), shell('check-app'), shell('check-marker')]) => ({
  id: 'drill',
  title: 'Drill',
  objectives,
  nodes,
  edges: [edge('fail-over', 'check-app'), edge('fail-over', 'check-marker')],
});

function problemsOf(document: Record<string, unknown>): Problem[] {
  const result = validateRunbook(document);
  return result.ok ? [] : result.problems;
}

describe('drill objectives in the runbook language', () => {
  it('accepts objectives naming graph nodes, a clock start upstream of the recovery, and a data-loss expression', () => {
    const result = validateRunbook(
      drill({ rtoSeconds: 900, rpoSeconds: 0, recoveredAt: 'check-app', recoveryStartsAt: 'fail-over', dataLossSeconds: '{{ steps.`check-marker`.output.lossSeconds }}' }),
    );
    expect(result.ok ? result.runbook.objectives : result.problems).toEqual({
      rtoSeconds: 900,
      rpoSeconds: 0,
      recoveredAt: 'check-app',
      recoveryStartsAt: 'fail-over',
      dataLossSeconds: '{{ steps.`check-marker`.output.lossSeconds }}',
    });
  });

  it('refuses unknown fields and negative figures by the schema, with paths', () => {
    expect(problemsOf(drill({ rtoSeconds: -1, recoveredAt: 'check-app', rto: 5 })).map((p) => p.path).sort()).toEqual(['objectives', 'objectives.rtoSeconds']);
  });

  it('names each unmeasurable objective at its path', () => {
    expect(problemsOf(drill({ recoveredAt: 'ghost', recoveryStartsAt: 'nowhere' }))).toEqual([
      { path: 'objectives', message: 'no objective to measure: give rtoSeconds, rpoSeconds or both' },
      { path: 'objectives.recoveredAt', message: 'no node with id "ghost"' },
      { path: 'objectives.recoveryStartsAt', message: 'no node with id "nowhere"' },
    ]);
    expect(problemsOf(drill({ rtoSeconds: 60, recoveredAt: 'check-app', recoveryStartsAt: 'check-marker' }))).toEqual([
      {
        path: 'objectives.recoveryStartsAt',
        message: '"check-marker" is not upstream of recoveredAt "check-app", so the recovery could end before its clock starts',
      },
    ]);
    expect(problemsOf(drill({ rpoSeconds: 0, recoveredAt: 'check-app' }))).toEqual([
      { path: 'objectives.dataLossSeconds', message: 'rpoSeconds is set but nothing measures the data lost: give an expression over a step output' },
    ]);
  });

  it('checks the data-loss expression: one whole template, parsable, reading existing graph steps only', () => {
    const withLoss = (dataLossSeconds: string) => problemsOf(drill({ rpoSeconds: 5, recoveredAt: 'check-app', dataLossSeconds }));
    expect(withLoss('steps.x.output')[0]?.message).toMatch(/write one \{\{ expression \}\}/);
    expect(withLoss('{{ steps.a }} and {{ steps.b }}')[0]?.message).toMatch(/write one/);
    expect(withLoss('{{ steps.check-marker.output.( }}')[0]).toMatchObject({ path: 'objectives.dataLossSeconds', message: expect.stringMatching(/does not parse/) });
    expect(withLoss('{{ steps.ghost.output.seconds }}')).toEqual([
      { path: 'objectives.dataLossSeconds', message: 'reads steps.ghost, but there is no node with id "ghost"' },
    ]);
    expect(withLoss('{{ alert.labels.loss }}')).toEqual([
      { path: 'objectives.dataLossSeconds', message: 'reads "alert"; a drill report can read only steps, params and run' },
    ]);
    expect(withLoss('{{ $number(steps.`check-marker`.output.stdout) }}')).toEqual([]);
  });

  it('refuses a recovery marked inside a forEach body', () => {
    const nodes = [shell('fail-over'), { id: 'hosts', kind: 'forEach', config: { items: '{{ [1,2] }}' } }, shell('check-app'), shell('per-host', { parent: 'hosts' }), shell('check-marker')];
    const problems = problemsOf({ ...drill({ rtoSeconds: 60, recoveredAt: 'per-host' }, nodes), edges: [edge('fail-over', 'hosts'), edge('hosts', 'check-app'), edge('fail-over', 'check-marker')] });
    expect(problems).toContainEqual({ path: 'objectives.recoveredAt', message: '"per-host" runs once per item inside "hosts"; name a node of the runbook graph' });
  });

  it('makes objectives part of the plan hash (a drill measured against other figures is another plan)', () => {
    const a = validateRunbook(drill({ rtoSeconds: 900, recoveredAt: 'check-app' }));
    const b = validateRunbook(drill({ rtoSeconds: 600, recoveredAt: 'check-app' }));
    if (!a.ok || !b.ok) throw new Error('drills should be valid');
    expect(a.planHash).not.toBe(b.planHash);
    const moved = { ...a.runbook, layout: { nodes: { 'check-app': { x: 5, y: 5 } }, notes: [] } } as Runbook;
    expect(planHash(moved)).toBe(a.planHash);
  });

  it('appears in the exported JSON Schema', () => {
    const schema = runbookJsonSchema() as { properties: Record<string, { properties?: Record<string, unknown> }> };
    expect(Object.keys(schema.properties.objectives?.properties ?? {})).toEqual(
      expect.arrayContaining(['rtoSeconds', 'rpoSeconds', 'recoveredAt', 'recoveryStartsAt', 'dataLossSeconds']),
    );
  });
});
