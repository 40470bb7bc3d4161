import { isTemplateString, type FieldHint } from '@runwright/runbook';
import { listFromText, numberFromText } from './field-text';
import { useTextBuffer } from './use-text-buffer';
import { withoutTemplate, type JsonSchema } from './json-schema';

/** What every field editor receives; `undefined` means "not set": the schema's default applies. */
export interface FieldProps<T = unknown> {
  name: string;
  schema: JsonSchema;
  hint: FieldHint | undefined;
  value: T | undefined;
  onChange(value: T | undefined): void;
  /** The field (or each list entry) also takes a `{{ template }}`, rendered when the step runs. */
  template?: boolean;
}

/** What a choice field offers to switch to typing a template; the author fills in the expression. */
const templateChoice = '{{ }}';

/** Whether a choice field (enum, switch) holds a template, shown as text (clearing it brings the plain widget back). */
export const holdsTemplate = (value: unknown) => value === templateChoice || isTemplateString(value);

const placeholderOf = (schema: JsonSchema, hint?: FieldHint) =>
  hint?.placeholder ?? (schema.default !== undefined ? `default: ${typeof schema.default === 'string' ? schema.default : JSON.stringify(schema.default)}` : '');

export function TextField({ name, schema, hint, value, onChange }: FieldProps<string>) {
  const common = {
    name,
    value: value ?? '',
    placeholder: placeholderOf(schema, hint),
    onChange: (e: { target: { value: string } }) => onChange(e.target.value === '' ? undefined : e.target.value),
  };
  if (hint?.widget === 'textarea' || hint?.widget === 'code') {
    return <textarea {...common} rows={hint.widget === 'code' ? 6 : 3} className={hint.widget === 'code' ? 'code' : undefined} spellCheck={hint.widget !== 'code'} />;
  }
  return <input type="text" {...common} />;
}

export function EnumField({ name, schema, value, onChange, template }: FieldProps) {
  return (
    <select name={name} value={value === undefined ? '' : String(value)} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}>
      <option value="">{schema.default !== undefined ? `default (${String(schema.default)})` : '—'}</option>
      {(schema.enum ?? []).map((option) => (
        <option key={String(option)} value={String(option)}>
          {String(option)}
        </option>
      ))}
      {template && <option value={templateChoice}>{'{{ template }}…'}</option>}
    </select>
  );
}

export function NumberField({ name, schema, hint, value, onChange, template = false }: FieldProps<number | string>) {
  const buffer = useTextBuffer<number | string | undefined>(value, (v) => (v === undefined ? '' : String(v)), (text) => numberFromText(text, template));
  return (
    <>
      <input
        type="text"
        inputMode={template ? 'text' : 'decimal'}
        name={name}
        value={buffer.text}
        placeholder={placeholderOf(schema, hint)}
        onChange={(e) => {
          const parsed = buffer.change(e.target.value);
          if (parsed.ok) onChange(parsed.value);
        }}
      />
      {buffer.error && <span className="field-error">{buffer.error}</span>}
    </>
  );
}

export function BooleanField({ name, schema, value, onChange }: FieldProps<boolean>) {
  return (
    <input
      type="checkbox"
      name={name}
      checked={value ?? schema.default === true}
      onChange={(e) => onChange(e.target.checked)}
    />
  );
}

/** One entry per line; numbers when the items are numbers; a `{{ template }}` entry where the items take one. */
export function ListField({ name, schema, hint, value, onChange }: FieldProps<unknown[]>) {
  const items = withoutTemplate(schema.items ?? {});
  const numeric = items.schema.type === 'integer' || items.schema.type === 'number';
  const template = items.template;
  const buffer = useTextBuffer<unknown[] | undefined>(
    value,
    (v) => (v ?? []).map(String).join('\n'),
    (text) => listFromText(text, numeric, template),
  );
  return (
    <>
      <textarea
        name={name}
        rows={Math.max(2, buffer.text.split('\n').length)}
        value={buffer.text}
        placeholder={
          hint?.placeholder ??
          `one per line${Array.isArray(schema.default) && schema.default.length > 0 ? `; default: ${schema.default.join(', ')}` : ''}`
        }
        onChange={(e) => {
          const parsed = buffer.change(e.target.value);
          if (parsed.ok) onChange(parsed.value);
        }}
      />
      {buffer.error && <span className="field-error">{buffer.error}</span>}
    </>
  );
}

/** `NAME=value` per line; a value that is JSON (a secret reference) stays structured. */
export function KeyValueField({ name, hint, value, onChange }: FieldProps<Record<string, unknown>>) {
  const buffer = useTextBuffer<Record<string, unknown> | undefined>(
    value,
    (v) =>
      Object.entries(v ?? {})
        .map(([k, entry]) => `${k}=${typeof entry === 'string' ? entry : JSON.stringify(entry)}`)
        .join('\n'),
    (text) => {
      const entries: [string, unknown][] = [];
      for (const line of text.split('\n')) {
        if (line.trim() === '') continue;
        const at = line.indexOf('=');
        if (at <= 0) return { ok: false, message: `"${line}": write NAME=value` };
        const raw = line.slice(at + 1);
        let entry: unknown = raw;
        if (raw.startsWith('{')) {
          try {
            entry = JSON.parse(raw);
          } catch {
            entry = raw;
          }
        }
        entries.push([line.slice(0, at).trim(), entry]);
      }
      return { ok: true, value: entries.length === 0 ? undefined : Object.fromEntries(entries) };
    },
  );
  return (
    <>
      <textarea
        name={name}
        className="code"
        rows={Math.max(2, buffer.text.split('\n').length)}
        value={buffer.text}
        placeholder={hint?.placeholder ?? 'NAME=value, one per line'}
        onChange={(e) => {
          const parsed = buffer.change(e.target.value);
          if (parsed.ok) onChange(parsed.value);
        }}
      />
      {buffer.error && <span className="field-error">{buffer.error}</span>}
    </>
  );
}

/** Anything the generic widgets cannot show, as JSON; text that does not parse is kept and reported. */
export function JsonField({ name, value, onChange }: FieldProps) {
  const buffer = useTextBuffer<unknown>(
    value,
    (v) => (v === undefined ? '' : JSON.stringify(v, null, 2)),
    (text) => {
      if (text.trim() === '') return { ok: true, value: undefined };
      try {
        return { ok: true, value: JSON.parse(text) as unknown };
      } catch (e) {
        return { ok: false, message: `not valid JSON: ${(e as Error).message}` };
      }
    },
  );
  return (
    <>
      <textarea
        name={name}
        className="code"
        rows={4}
        value={buffer.text}
        onChange={(e) => {
          const parsed = buffer.change(e.target.value);
          if (parsed.ok) onChange(parsed.value);
        }}
      />
      {buffer.error && <span className="field-error">{buffer.error}</span>}
    </>
  );
}
