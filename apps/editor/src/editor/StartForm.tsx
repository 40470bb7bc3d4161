import { useState } from 'react';
import type { Draft } from '../document/draft';
import { previewPlan, routes, validateRunbook, type PlanPreview } from '@runwright/runbook';
import { PlanPreviewPanel } from './PlanPreviewPanel';
import { api, ApiCallError } from '../api/client';
import { useCan } from '../auth/identity';
import { navigate } from '../use-hash-route';

type Parameter = { type?: string; default?: unknown; description?: string; enum?: string[] };

function valueOf(parameter: Parameter, raw: string): unknown {
  if (parameter.type === 'number') return Number(raw);
  if (parameter.type === 'boolean') return raw === 'true';
  if (parameter.type === 'list') return raw.split(',').map((s) => s.trim()).filter(Boolean);
  return raw;
}

/**
 * The start form, generated from the runbook's parameters. It starts the saved file, so it is
 * offered only when the document has no problems and no unsaved changes.
 */
export function StartForm({ draft, blockedBy }: { draft: Draft; blockedBy: string | undefined }) {
  const [values, setValues] = useState<Record<string, string>>({});
  const [dryRun, setDryRun] = useState(false);
  const [error, setError] = useState<string>();
  const mayRun = useCan(routes.startRun.access);
  const [preview, setPreview] = useState<PlanPreview>();
  const parameters = (draft.parameters ?? {}) as Record<string, Parameter>;
  const typedParams = () => {
    const params: Record<string, unknown> = {};
    for (const [name, parameter] of Object.entries(parameters)) {
      const raw = values[name];
      if (raw !== undefined && raw !== '') params[name] = valueOf(parameter, raw);
    }
    return params;
  };
  const showPreview = async () => {
    const checked = validateRunbook(draft);
    if (!checked.ok) {
      setPreview({ ok: false, problems: checked.problems });
      return;
    }
    setPreview(await previewPlan(checked.runbook, typedParams()));
  };
  const start = async () => {
    const params = typedParams();
    try {
      const { runId } = await api.startRun(draft.id, params, { dryRun });
      navigate(`/runs/${encodeURIComponent(runId)}`);
    } catch (e) {
      const apiError = e as ApiCallError;
      setError(`${apiError.message}${apiError.body?.details.map((d) => `\n${d.path}: ${d.message}`).join('') ?? ''}`);
    }
  };
  if (!mayRun) return <p className="start-form blocked">Your role may not start runs.</p>;
  return (
    <form
      className="start-form"
      onSubmit={(event) => {
        event.preventDefault();
        void start();
      }}
    >
      {Object.entries(parameters).map(([name, parameter]) => (
        <label key={name} title={parameter.description}>
          {name}
          {parameter.type === 'boolean' || parameter.enum ? (
            <select name={name} value={values[name] ?? ''} onChange={(e) => setValues({ ...values, [name]: e.target.value })}>
              <option value="">{parameter.default === undefined ? '—' : `default (${String(parameter.default)})`}</option>
              {(parameter.enum ?? ['true', 'false']).map((option) => (
                <option key={option}>{option}</option>
              ))}
            </select>
          ) : (
            <input
              name={name}
              placeholder={parameter.default === undefined ? '' : String(parameter.default)}
              value={values[name] ?? ''}
              onChange={(e) => setValues({ ...values, [name]: e.target.value })}
            />
          )}
        </label>
      ))}
      <label className="dry-run-switch" title="Action nodes record what they would do and run nothing; checkpoints still ask.">
        <span>
          <input type="checkbox" name="dryRun" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} /> Dry run
        </span>
      </label>
      <button type="submit" disabled={blockedBy !== undefined} title={blockedBy}>
        {dryRun ? 'Start dry run' : 'Start run'}
      </button>
      <button type="button" onClick={() => void showPreview()}>
        Preview plan
      </button>
      {blockedBy && <span className="blocked">{blockedBy}</span>}
      {error && <p className="error">{error}</p>}
      {preview && <PlanPreviewPanel preview={preview} onClose={() => setPreview(undefined)} />}
    </form>
  );
}
