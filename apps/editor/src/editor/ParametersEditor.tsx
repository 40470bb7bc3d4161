import { useState } from 'react';

type Parameters = Record<string, Record<string, unknown>>;

const types = ['string', 'number', 'boolean', 'list'] as const;

function defaultText(parameter: Record<string, unknown>): string {
  const value = parameter.default;
  if (value === undefined) return '';
  return Array.isArray(value) ? value.join(', ') : String(value);
}

function parseDefault(type: unknown, text: string): unknown {
  if (text === '') return undefined;
  if (type === 'number') return Number.isFinite(Number(text)) ? Number(text) : text;
  if (type === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  if (type === 'list') return text.split(',').map((s) => s.trim()).filter(Boolean);
  return text;
}

/** The runbook's typed parameters (the start form is generated from them). */
export function ParametersEditor({ parameters, onChange }: { parameters: Parameters; onChange(next: Parameters, coalesce?: string): void }) {
  const [newName, setNewName] = useState('');
  const entries = Object.entries(parameters);
  /** Typing in one field of one parameter is one undo step. */
  const update = (name: string, change: Record<string, unknown>) => {
    const next = { ...parameters[name], ...change };
    for (const [key, value] of Object.entries(change)) if (value === undefined) delete next[key];
    onChange({ ...parameters, [name]: next }, `parameters.${name}.${Object.keys(change).join(',')}`);
  };
  return (
    <section className="parameters-editor">
      <h3>Parameters</h3>
      {entries.length === 0 && <p className="help">No parameters.</p>}
      {entries.map(([name, parameter]) => (
        <fieldset key={name} data-parameter={name}>
          <legend>
            <code>{name}</code>
          </legend>
          <label>
            Type
            <select name={`parameters.${name}.type`} value={String(parameter.type ?? 'string')} onChange={(e) => update(name, { type: e.target.value, default: undefined })}>
              {types.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </label>
          <label>
            Default
            <input name={`parameters.${name}.default`} value={defaultText(parameter)} onChange={(e) => update(name, { default: parseDefault(parameter.type, e.target.value) })} />
          </label>
          <label>
            Description
            <input name={`parameters.${name}.description`} value={String(parameter.description ?? '')} onChange={(e) => update(name, { description: e.target.value || undefined })} />
          </label>
          <button
            type="button"
            className="danger"
            onClick={() => {
              const { [name]: _, ...rest } = parameters;
              onChange(rest);
            }}
          >
            Remove
          </button>
        </fieldset>
      ))}
      <form
        className="add-parameter"
        onSubmit={(e) => {
          e.preventDefault();
          if (!newName || parameters[newName]) return;
          onChange({ ...parameters, [newName]: { type: 'string' } });
          setNewName('');
        }}
      >
        <input name="new-parameter" placeholder="new parameter name" value={newName} onChange={(e) => setNewName(e.target.value)} />
        <button type="submit">Add parameter</button>
      </form>
    </section>
  );
}
