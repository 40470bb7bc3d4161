import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { stepKinds } from '@runwright/runbook';
import { listFromText, numberFromText } from '../../../apps/editor/src/forms/field-text.js';
import { formSchemaOf, shapeOf, withoutTemplate } from '../../../apps/editor/src/forms/json-schema.js';
import { SchemaForm } from '../../../apps/editor/src/forms/SchemaForm.js';

describe('typing templates into typed fields of the inspector', () => {
  it('keeps a template typed into a number field as text and a plain number as a number', () => {
    expect(numberFromText('8080', true)).toEqual({ ok: true, value: 8080 });
    expect(numberFromText(' {{ params.port }} ', true)).toEqual({ ok: true, value: '{{ params.port }}' });
    expect(numberFromText('', true)).toEqual({ ok: true, value: undefined });
    expect(numberFromText('eighty', true)).toEqual({ ok: false, message: 'not a number or a {{ template }}' });
    // Where the field takes no template (a control kind's quorum), a template is not a number.
    expect(numberFromText('{{ params.port }}', false)).toEqual({ ok: false, message: 'not a number' });
  });

  it('keeps template entries of a list as text and numbers as numbers', () => {
    expect(listFromText('200\n{{ params.status }}\n', true, true)).toEqual({ ok: true, value: [200, '{{ params.status }}'] });
    expect(listFromText('200\nok', true, true)).toEqual({ ok: false, message: 'one number or {{ template }} per line' });
    expect(listFromText('db-1:22\n{{ params.host }}:{{ params.port }}', false, true)).toEqual({ ok: true, value: ['db-1:22', '{{ params.host }}:{{ params.port }}'] });
  });

  it('gives an action kind’s typed fields their plain widget, with the template alternative noted', () => {
    const ssh = formSchemaOf(stepKinds.ssh.config).properties!;
    expect(shapeOf(ssh.parallelism!)).toBe('number');
    expect(withoutTemplate(ssh.parallelism!)).toEqual({ schema: { type: 'integer', exclusiveMinimum: 0, maximum: 100, default: 5 }, template: true });
    expect(shapeOf(ssh.hosts!)).toBe('list');
    expect(withoutTemplate(ssh.hosts!.items!).template).toBe(true);
    expect(shapeOf(formSchemaOf(stepKinds.http.config).properties!.method!)).toBe('enum');
    // Control kinds are read by the interpreter as written: no template alternative there.
    expect(withoutTemplate(formSchemaOf(stepKinds.checkpoint.config).properties!.quorum!).template).toBe(false);
  });

  it('shows templates held by number, list, choice and switch fields instead of losing them', () => {
    const markup = renderToStaticMarkup(
      createElement(SchemaForm, {
        schema: formSchemaOf(stepKinds.ssh.config),
        hints: stepKinds.ssh.meta.fields,
        value: { hosts: ['{{ params.site }}:{{ params.port }}'], user: 'root', parallelism: '{{ params.n }}', acceptUnknownHosts: '{{ params.lab }}', command: ['true'] },
        onChange: () => undefined,
      }),
    );
    expect(markup).toContain('name="parallelism" value="{{ params.n }}"');
    expect(markup).toMatch(/<textarea name="hosts"[^>]*>\{\{ params\.site \}\}:\{\{ params\.port \}\}<\/textarea>/);
    expect(markup).toMatch(/<input type="text"[^>]* name="acceptUnknownHosts" value="\{\{ params\.lab \}\}"/);
    const http = renderToStaticMarkup(createElement(SchemaForm, { schema: formSchemaOf(stepKinds.http.config), value: { url: 'http://x/', method: '{{ params.verb }}' }, onChange: () => undefined }));
    expect(http).toMatch(/<input type="text"[^>]* name="method" value="\{\{ params\.verb \}\}"/);
    // A plain choice keeps its select, with a way to switch to a template.
    expect(renderToStaticMarkup(createElement(SchemaForm, { schema: formSchemaOf(stepKinds.http.config), value: { url: 'http://x/' }, onChange: () => undefined }))).toMatch(
      /<select name="method">.*<option value="\{\{ \}\}">\{\{ template \}\}…<\/option><\/select>/,
    );
  });
});
