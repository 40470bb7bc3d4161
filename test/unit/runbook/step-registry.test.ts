import { describe, expect, it } from 'vitest';
import { actionTypes, codeConfigFields, expressionConfigFields, stepKinds, stepTypes } from '@runwright/runbook';
import { actionImplementations } from '../../../workers/src/activities/index.js';

describe('the step registry', () => {
  it.each(stepTypes)('%s describes itself for the palette and the inspector', (type) => {
    const kind = stepKinds[type];
    expect(kind.type).toBe(type);
    expect(kind.meta.label).toMatch(/\S/);
    expect(kind.meta.icon).toMatch(/^[a-z0-9-]+$/);
    expect(kind.meta.description).toMatch(/\S/);
    expect(['actions', 'control', 'human']).toContain(kind.category);
    expect(['action', 'control']).toContain(kind.execution);
    // Field hints may only describe fields the config really has.
    const shape = (kind.config as unknown as { shape?: Record<string, unknown>; def?: { in?: { shape?: Record<string, unknown> } } }).shape;
    if (shape) for (const field of Object.keys(kind.meta.fields ?? {})) expect(Object.keys(shape)).toContain(field);
  });

  it('has an activity for every action kind and no activity without an action kind', () => {
    expect(Object.keys(actionImplementations).sort()).toEqual([...actionTypes].sort());
    for (const type of stepTypes) {
      expect(Object.hasOwn(actionImplementations, type), `${type} (${stepKinds[type].execution})`).toBe(stepKinds[type].execution === 'action');
    }
  });

  it('derives the code and whole-expression fields from the kinds\' field roles', () => {
    expect(codeConfigFields).toEqual({ shell: ['script'], ssh: ['script'], 'postgres.sql': ['sql'] });
    expect(expressionConfigFields).toEqual({ branch: ['expression'], forEach: ['items', 'key'] });
  });

  it('offers every pollable kind, and only those, as a waitUntil check and a service health check', () => {
    const pollable = actionTypes.filter((type) => stepKinds[type].pollable === true);
    expect(pollable.sort()).toEqual(['http', 'postgres.sql', 'promql', 'shell']);
    for (const type of actionTypes) {
      const check = { kind: type, config: {} };
      const offered = !stepKinds.waitUntil.config.safeParse({ check }).error?.issues.some((i) => i.path.join('.') === 'check.kind');
      expect(offered, type).toBe(pollable.includes(type));
      const health = stepKinds.service.config.safeParse({ service: 'x', action: 'start', health: { check } });
      expect(!health.error?.issues.some((i) => i.path.join('.') === 'health.check.kind'), type).toBe(pollable.includes(type));
    }
  });
});
