import type { FieldHint, Problem } from '@runwright/runbook';
import type { ReactNode } from 'react';
import { BooleanField, EnumField, holdsTemplate, JsonField, KeyValueField, ListField, NumberField, TextField, type FieldProps } from './fields';
import { humanize, shapeOf, unionOptions, withoutTemplate, type FieldShape, type JsonSchema } from './json-schema';

interface SchemaFormProps {
  schema: JsonSchema;
  value: Record<string, unknown>;
  onChange(value: Record<string, unknown>, field: string): void;
  hints?: Record<string, FieldHint>;
  /** Problems with paths relative to this form's value (`url`, `checklist.0.label`). */
  problems?: Problem[];
  /** Prefix of input names, so nested fields have unique, readable names (`approvers.roles`). */
  name?: string;
  /** Fields neither required nor hinted go under "More options". */
  foldOptional?: boolean;
}

const widgetShapes: Partial<Record<NonNullable<FieldHint['widget']>, FieldShape>> = {
  list: 'list',
  keyValue: 'keyValue',
  switch: 'boolean',
  select: 'enum',
  checklist: 'objectList',
  number: 'number',
};

function shapeFor(schema: JsonSchema, hint?: FieldHint): FieldShape {
  const natural = shapeOf(schema);
  if (hint?.widget === 'code' && natural !== 'text') return 'json';
  return (hint?.widget && widgetShapes[hint.widget]) ?? natural;
}

/** A form generated from a JSON Schema (from a kind's zod config) plus the kind's field hints. */
export function SchemaForm({ schema, value, onChange, hints = {}, problems = [], name = '', foldOptional = false }: SchemaFormProps) {
  const properties = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  const visible = properties.filter(([key]) => {
    const when = hints[key]?.showWhen;
    if (!when) return true;
    const current = value[when.field] ?? schema.properties?.[when.field]?.default;
    return when.equals.includes(current);
  });
  const isMain = (key: string) => !foldOptional || required.has(key) || hints[key] !== undefined || value[key] !== undefined;
  const render = ([key, fieldSchema]: [string, JsonSchema]) => (
    <Field
      key={key}
      fieldKey={key}
      name={name ? `${name}.${key}` : key}
      schema={fieldSchema}
      hint={hints[key]}
      required={required.has(key)}
      value={value[key]}
      problems={problems.filter((p) => p.path === key || p.path.startsWith(`${key}.`))}
      onChange={(next) => {
        const copy = { ...value };
        if (next === undefined) delete copy[key];
        else copy[key] = next;
        onChange(copy, key);
      }}
    />
  );
  const main = visible.filter(([key]) => isMain(key));
  const more = visible.filter(([key]) => !isMain(key));
  const formProblems = problems.filter((p) => p.path === '');
  return (
    <div className="schema-form">
      {formProblems.map((p, i) => (
        <p key={i} className="field-error">
          {p.message}
        </p>
      ))}
      {main.map(render)}
      {more.length > 0 && (
        <details className="more-options">
          <summary>More options ({more.map(([key]) => key).join(', ')})</summary>
          {more.map(render)}
        </details>
      )}
    </div>
  );
}

function Field({
  fieldKey,
  name,
  schema,
  hint,
  required,
  value,
  problems,
  onChange,
}: {
  fieldKey: string;
  name: string;
  schema: JsonSchema;
  hint: FieldHint | undefined;
  required: boolean;
  value: unknown;
  problems: Problem[];
  onChange(value: unknown): void;
}) {
  const shape = shapeFor(schema, hint);
  // A field that also takes a {{ template }} is edited as its plain self; the widget keeps templates typed into it.
  const plain = withoutTemplate(schema);
  const props: FieldProps<never> = { name, schema: plain.schema, hint, value: value as never, onChange, template: plain.template };
  const asTemplate = plain.template && (shape === 'enum' || shape === 'boolean') && holdsTemplate(value);
  let editor: ReactNode;
  if (asTemplate) {
    editor = <TextField {...(props as FieldProps<string>)} hint={{ ...hint, widget: 'text', placeholder: '{{ expression }}' }} />;
  } else switch (shape) {
    case 'text':
      editor = <TextField {...(props as FieldProps<string>)} />;
      break;
    case 'enum':
      editor = <EnumField {...props} />;
      break;
    case 'number':
      editor = <NumberField {...(props as FieldProps<number>)} />;
      break;
    case 'boolean':
      editor = <BooleanField {...(props as FieldProps<boolean>)} />;
      break;
    case 'list':
      editor = <ListField {...(props as FieldProps<unknown[]>)} />;
      break;
    case 'keyValue':
      editor = <KeyValueField {...(props as FieldProps<Record<string, unknown>>)} />;
      break;
    case 'object':
      editor = (
        <SchemaForm
          schema={schema}
          name={name}
          value={(value ?? {}) as Record<string, unknown>}
          problems={problems.map((p) => ({ ...p, path: p.path.slice(fieldKey.length + 1) }))}
          onChange={(next) => onChange(Object.keys(next).length === 0 ? undefined : next)}
        />
      );
      break;
    case 'union':
      editor = (
        <UnionField
          name={name}
          schema={schema}
          value={value as Record<string, unknown> | undefined}
          onChange={onChange}
          problems={problems.map((p) => ({ ...p, path: p.path.slice(fieldKey.length + 1) }))}
        />
      );
      break;
    case 'objectList':
      editor = (
        <ObjectListField
          name={name}
          schema={schema}
          value={value as Record<string, unknown>[] | undefined}
          onChange={onChange}
          problems={problems}
          fieldKey={fieldKey}
        />
      );
      break;
    default:
      editor = <JsonField {...props} />;
  }
  const inline = shape === 'boolean' && !asTemplate;
  return (
    <div className={`field field-${shape}${problems.length > 0 ? ' has-problem' : ''}`} data-field={name}>
      <label className={inline ? 'inline' : undefined}>
        {inline && editor}
        <span className="field-label">
          {hint?.label ?? humanize(fieldKey)}
          {required && <span className="required"> *</span>}
        </span>
        {!inline && shape !== 'object' && shape !== 'objectList' && shape !== 'union' && editor}
      </label>
      {(shape === 'object' || shape === 'objectList' || shape === 'union') && editor}
      {hint?.help && <small className="help">{hint.help}</small>}
      {problems
        .filter((p) => (shape !== 'object' && shape !== 'objectList' && shape !== 'union') || p.path === fieldKey)
        .map((p, i) => (
          <span key={i} className="field-error" data-problem-path={p.path}>
            {p.path !== fieldKey && `${p.path}: `}
            {p.message}
          </span>
        ))}
    </div>
  );
}

/** A list of objects (a checklist): one small form per item, with add and remove. */
function ObjectListField({
  name,
  fieldKey,
  schema,
  value,
  onChange,
  problems,
}: {
  name: string;
  fieldKey: string;
  schema: JsonSchema;
  value: Record<string, unknown>[] | undefined;
  onChange(value: unknown): void;
  problems: Problem[];
}) {
  const items = value ?? [];
  const itemSchema = schema.items ?? {};
  const set = (next: Record<string, unknown>[]) => onChange(next.length === 0 ? undefined : next);
  return (
    <div className="object-list">
      {items.map((item, index) => (
        <fieldset key={index} className="object-list-item">
          <SchemaForm
            schema={itemSchema}
            name={`${name}.${index}`}
            value={item}
            problems={problems
              .filter((p) => p.path.startsWith(`${fieldKey}.${index}.`))
              .map((p) => ({ ...p, path: p.path.slice(`${fieldKey}.${index}.`.length) }))}
            onChange={(next) => set(items.map((old, i) => (i === index ? next : old)))}
          />
          <button type="button" className="danger" onClick={() => set(items.filter((_, i) => i !== index))}>
            Remove
          </button>
        </fieldset>
      ))}
      <button type="button" onClick={() => set([...items, {}])} data-add={fieldKey}>
        Add {fieldKey === 'checklist' ? 'checklist item' : 'item'}
      </button>
    </div>
  );
}

/** A choice of kind (`{ kind, config }`, e.g. a rollback action), then that kind's own form. */
function UnionField({
  name,
  schema,
  value,
  onChange,
  problems,
}: {
  name: string;
  schema: JsonSchema;
  value: Record<string, unknown> | undefined;
  onChange(value: unknown): void;
  problems: Problem[];
}) {
  const options = unionOptions(schema) ?? {};
  const kind = typeof value?.kind === 'string' ? value.kind : '';
  const chosen = options[kind];
  const rest: JsonSchema = { ...chosen, properties: Object.fromEntries(Object.entries(chosen?.properties ?? {}).filter(([key]) => key !== 'kind')) };
  return (
    <div className="union-field">
      <select name={`${name}.kind`} value={kind} onChange={(e) => onChange(e.target.value ? { kind: e.target.value, config: {} } : undefined)}>
        <option value="">none</option>
        {Object.keys(options).map((k) => (
          <option key={k} value={k}>
            {k}
          </option>
        ))}
      </select>
      {chosen && value && (
        <SchemaForm
          schema={rest}
          name={name}
          value={value}
          problems={problems}
          onChange={(next) => onChange({ ...next, kind })}
        />
      )}
    </div>
  );
}
