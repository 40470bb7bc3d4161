import type { FieldHint } from '@runwright/runbook';
import { useTextBuffer } from './use-text-buffer';
import type { JsonSchema } from './json-schema';

/** What every field editor receives; `undefined` means "not set": the schema's default applies. */
export interface FieldProps<T = unknown> {
  name: string;
  schema: JsonSchema;
  hint: FieldHint | undefined;
  value: T | undefined;
  onChange(value: T | undefined): void;
}

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

export function EnumField({ name, schema, value, onChange }: FieldProps) {
  return (
    <select name={name} value={value === undefined ? '' : String(value)} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}>
      <option value="">{schema.default !== undefined ? `default (${String(schema.default)})` : '—'}</option>
      {(schema.enum ?? []).map((option) => (
        <option key={String(option)} value={String(option)}>
          {String(option)}
        </option>
      ))}
    </select>
  );
}

export function NumberField({ name, schema, hint, value, onChange }: FieldProps<number>) {
  const buffer = useTextBuffer<number | undefined>(value, (v) => (v === undefined ? '' : String(v)), (text) => {
    if (text.trim() === '') return { ok: true, value: undefined };
    const number = Number(text);
    return Number.isFinite(number) ? { ok: true, value: number } : { ok: false, message: 'not a number' };
  });
  return (
    <>
      <input
        type="text"
        inputMode="decimal"
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

/** One entry per line; numbers when the items are numbers. */
export function ListField({ name, schema, hint, value, onChange }: FieldProps<unknown[]>) {
  const numeric = schema.items?.type === 'integer' || schema.items?.type === 'number';
  const buffer = useTextBuffer<unknown[] | undefined>(
    value,
    (v) => (v ?? []).map(String).join('\n'),
    (text) => {
      const lines = text.split('\n').filter((line) => line.trim() !== '');
      if (lines.length === 0) return { ok: true, value: undefined };
      if (!numeric) return { ok: true, value: lines };
      const numbers = lines.map(Number);
      return numbers.every(Number.isFinite) ? { ok: true, value: numbers } : { ok: false, message: 'one number per line' };
    },
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
