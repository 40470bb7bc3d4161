import { runbookSchema, type Problem } from '@runwright/runbook';
import type { Draft } from '../document/draft';
import { ListField } from '../forms/fields';
import { formSchemaOf, type JsonSchema } from '../forms/json-schema';
import { SchemaForm } from '../forms/SchemaForm';
import { useEditor } from './editor-context';
import { ParametersEditor } from './ParametersEditor';

// Shown by their own editors above, or on the canvas.
const ownEditors = new Set(['id', 'title', 'description', 'tags', 'parameters', 'nodes', 'edges', 'layout']);

/** Every other runbook-level setting (owners, defaults, triggers, objectives, concurrency…), from the shared schema. */
function otherSettingsSchema(): JsonSchema {
  const schema = formSchemaOf(runbookSchema);
  return { type: 'object', properties: Object.fromEntries(Object.entries(schema.properties ?? {}).filter(([key]) => !ownEditors.has(key))) };
}

/** Runbook-level settings, shown when no node is selected. */
export function RunbookSettings({ draft, problems = [] }: { draft: Draft; problems?: Problem[] }) {
  const updateRunbook = useEditor((s) => s.updateRunbook);
  const text = (field: 'id' | 'title' | 'description', multiline = false) => {
    const props = {
      name: `runbook.${field}`,
      value: typeof draft[field] === 'string' ? (draft[field] as string) : '',
      onChange: (e: { target: { value: string } }) => updateRunbook({ [field]: e.target.value }, `runbook.${field}`),
    };
    return (
      <div className="field" data-field={`runbook.${field}`}>
        <label>
          <span className="field-label">{field.charAt(0).toUpperCase() + field.slice(1)}</span>
          {multiline ? <textarea rows={3} {...props} /> : <input {...props} />}
        </label>
      </div>
    );
  };
  return (
    <div className="runbook-settings">
      <h2>Runbook</h2>
      <p className="help">Select a node to edit it; drag kinds from the palette to add steps.</p>
      {text('id')}
      {text('title')}
      {text('description', true)}
      <div className="field" data-field="runbook.tags">
        <label>
          <span className="field-label">Tags</span>
          <ListField
            name="runbook.tags"
            schema={{ type: 'array', items: { type: 'string' } }}
            hint={undefined}
            value={draft.tags as string[] | undefined}
            onChange={(tags) => updateRunbook({ tags }, 'runbook.tags')}
          />
        </label>
      </div>
      <h3>Settings</h3>
      <SchemaForm
        schema={otherSettingsSchema()}
        name="runbook"
        value={draft}
        problems={problems.filter((p) => !/^(nodes|edges|layout)(\.|$)/.test(p.path))}
        onChange={(next, field) => updateRunbook({ [field]: next[field] }, `runbook.${field}`)}
      />
      <ParametersEditor
        parameters={(draft.parameters ?? {}) as Record<string, Record<string, unknown>>}
        onChange={(parameters, coalesce) => updateRunbook({ parameters }, coalesce)}
      />
    </div>
  );
}
