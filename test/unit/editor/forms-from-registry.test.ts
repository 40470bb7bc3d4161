import { describe, expect, it } from 'vitest';
import { stepKinds, stepTypes } from '@runwright/runbook';
import { formSchemaOf, shapeOf, humanize } from '../../../apps/editor/src/forms/json-schema.js';

describe('inspector forms come from the registry', () => {
  it.each(stepTypes)('%s: its config has a form, and every field hint names a real field', (type) => {
    const kind = stepKinds[type];
    const schema = formSchemaOf(kind.config);
    expect(schema.type).toBe('object');
    const properties = Object.keys(schema.properties ?? {});
    expect(properties.length).toBeGreaterThan(0);
    for (const [field, hint] of Object.entries(kind.meta.fields ?? {})) {
      expect(properties, `meta.fields.${field} of ${type}`).toContain(field);
      if (hint.showWhen) expect(properties, `showWhen of ${type}.${field}`).toContain(hint.showWhen.field);
    }
  });

  it('edits each kind of field with a fitting widget', () => {
    const shell = formSchemaOf(stepKinds.shell.config).properties!;
    const http = formSchemaOf(stepKinds.http.config).properties!;
    const checkpoint = formSchemaOf(stepKinds.checkpoint.config).properties!;
    expect({
      script: shapeOf(shell.script!),
      command: shapeOf(shell.command!),
      expectExitCodes: shapeOf(shell.expectExitCodes!),
      env: shapeOf(shell.env!),
      method: shapeOf(http.method!),
      timeoutMs: shapeOf(http.timeoutMs!),
      body: shapeOf(http.body!),
      fourEyes: shapeOf(checkpoint.fourEyes!),
      approvers: shapeOf(checkpoint.approvers!),
      checklist: shapeOf(checkpoint.checklist!),
    }).toEqual({
      script: 'text',
      command: 'list',
      expectExitCodes: 'list',
      env: 'keyValue',
      method: 'enum',
      timeoutMs: 'number',
      body: 'json',
      fourEyes: 'boolean',
      approvers: 'object',
      checklist: 'objectList',
    });
  });

  it('labels fields without a hint from their names', () => {
    expect(humanize('expectExitCodes')).toBe('Expect exit codes');
    expect(humanize('url')).toBe('Url');
  });

  it('keeps fields with defaults optional in the form (the input side of the schema)', () => {
    expect(formSchemaOf(stepKinds.http.config).required).toEqual(['url']);
  });
});
