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

  it('knows the whole-expression and code fields only of kinds and fields that exist', () => {
    for (const [kind, fields] of [...Object.entries(expressionConfigFields), ...Object.entries(codeConfigFields)]) {
      if (!(stepTypes as string[]).includes(kind)) continue; // Kinds still being added by the interpreter.
      const shape = (stepKinds[kind as keyof typeof stepKinds].config as unknown as { shape: Record<string, unknown> }).shape;
      for (const field of fields) expect(Object.keys(shape), `${kind}.${field}`).toContain(field);
    }
  });
});
