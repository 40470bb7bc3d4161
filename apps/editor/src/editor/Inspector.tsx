import { isStepType, nodeSchema, stepKinds, type Edge, type Problem } from '@runwright/runbook';
import type { DraftNode } from '../document/draft';
import { fieldOfPath } from '../document/node-problems';
import { formSchemaOf, type JsonSchema } from '../forms/json-schema';
import { SchemaForm } from '../forms/SchemaForm';
import { useEditor } from './editor-context';
import { IdField } from './IdField';
import { RunbookSettings } from './RunbookSettings';

/**
 * The policies every node shares, from the shared node schema itself (any kind's wrapper, minus
 * what the inspector shows elsewhere), so a policy added to the language shows up here.
 */
const wrapperSchema = formSchemaOf(nodeSchema.options[0]);
const shownElsewhere = new Set(['id', 'title', 'description', 'kind', 'config', 'parent']);
const policiesSchema: JsonSchema = {
  type: 'object',
  properties: Object.fromEntries(Object.entries(wrapperSchema.properties ?? {}).filter(([key]) => !shownElsewhere.has(key))),
};

const policyHints = {
  timeout: { label: 'Timeout', placeholder: 'runbook default', help: 'How long one attempt may take: 30s, 5m, 1h.' },
  heartbeat: { label: 'Heartbeat', placeholder: 'none', help: 'Long steps report progress this often, or count as lost.' },
  runsOn: { label: 'Runs on (task queue)', placeholder: "the worker's own queue", help: 'Send this step to workers of one site or machine room.' },
  retry: { label: 'Retry policy' },
  when: { label: 'Run only when (JSONata)', widget: 'code' as const, placeholder: "params.mode = 'full'", help: 'The node is skipped when this is false.' },
  onFailure: { label: 'On failure', widget: 'select' as const, help: 'stop the run, roll back completed steps, or ask a person.' },
  rollback: { label: 'Rollback action', help: 'Undoes this step when the run rolls back.' },
};

/** The selected node's forms (generated from its kind's schema) or, with nothing selected, the runbook's settings. */
export function Inspector({ problems, all }: { problems: Record<string, Problem[]>; all: Problem[] }) {
  const draft = useEditor((s) => s.draft);
  const selection = useEditor((s) => s.selection);
  const nodes = draft.nodes.filter((n) => selection.includes(n.id));
  if (nodes.length > 1) {
    return (
      <aside className="inspector">
        <h2>{nodes.length} nodes selected</h2>
        <p>Delete, copy or drag them together; select one node to edit it.</p>
      </aside>
    );
  }
  const node = nodes[0];
  const edge = !node && selection.length === 1 ? draft.edges.find((e) => `${e.from}->${e.to}` === selection[0]) : undefined;
  if (edge) {
    return (
      <aside className="inspector">
        <EdgeInspector edge={edge} />
      </aside>
    );
  }
  return <aside className="inspector">{node ? <NodeInspector key={node.id} node={node} problems={problems[node.id] ?? []} /> : <RunbookSettings draft={draft} problems={all} />}</aside>;
}

function EdgeInspector({ edge }: { edge: Edge }) {
  const labelEdge = useEditor((s) => s.labelEdge);
  const id = `${edge.from}->${edge.to}`;
  return (
    <div className="edge-inspector" data-inspecting-edge={id}>
      <h2>Edge</h2>
      <p>
        <code>{edge.from}</code> → <code>{edge.to}</code>
      </p>
      <div className="field" data-field="label">
        <label>
          <span className="field-label">Label</span>
          <input name="label" value={edge.label ?? ''} placeholder="none" onChange={(e) => labelEdge(id, e.target.value || undefined, `${id}:label`)} />
        </label>
        <small className="help">After a branch node: the value of its expression that takes this edge, or “default”.</small>
      </div>
    </div>
  );
}

/** Which forEach the node runs inside (once per item), if any. */
function GroupField({ node }: { node: DraftNode }) {
  const draft = useEditor((s) => s.draft);
  const updateNode = useEditor((s) => s.updateNode);
  const groups = draft.nodes.filter((n) => n.kind === 'forEach' && n.id !== node.id);
  if (groups.length === 0 && node.parent === undefined) return null;
  return (
    <div className="field" data-field="parent">
      <label>
        <span className="field-label">Runs inside</span>
        <select name="parent" value={typeof node.parent === 'string' ? node.parent : ''} onChange={(e) => updateNode(node.id, { parent: e.target.value || undefined })}>
          <option value="">the main flow</option>
          {groups.map((g) => (
            <option key={g.id} value={g.id}>
              {g.title ?? g.id} (once per item)
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

function NodeInspector({ node, problems }: { node: DraftNode; problems: Problem[] }) {
  const updateConfig = useEditor((s) => s.updateConfig);
  const updateNode = useEditor((s) => s.updateNode);
  const kind = isStepType(node.kind) ? stepKinds[node.kind] : undefined;
  const relative = problems.map((p) => ({ ...p, path: fieldOfPath(p.path) }));
  const configProblems = relative.filter((p) => p.path === 'config' || p.path.startsWith('config.')).map((p) => ({ ...p, path: p.path.replace(/^config\.?/, '') }));
  const wrapperProblems = relative.filter((p) => !(p.path === 'config' || p.path.startsWith('config.')));
  const policies = Object.fromEntries(Object.keys(policiesSchema.properties ?? {}).map((key) => [key, node[key]]));
  return (
    <div className="node-inspector" data-inspecting={node.id}>
      <h2>{kind?.meta.label ?? `Unknown kind "${node.kind}"`}</h2>
      {kind && <p className="help">{kind.meta.description}</p>}
      <IdField id={node.id} onRename={(id) => updateNode(node.id, { id })} />
      <div className="field" data-field="title">
        <label>
          <span className="field-label">Title</span>
          <input name="title" value={node.title ?? ''} placeholder={node.id} onChange={(e) => updateNode(node.id, { title: e.target.value }, `${node.id}:title`)} />
        </label>
      </div>
      <GroupField node={node} />
      {wrapperProblems.map((p, i) => (
        <p key={i} className="field-error" data-problem-path={p.path}>
          {p.path}: {p.message}
        </p>
      ))}
      <h3>Settings</h3>
      {kind ? (
        <SchemaForm
          schema={formSchemaOf(kind.config)}
          hints={kind.meta.fields}
          value={node.config}
          problems={configProblems}
          foldOptional
          onChange={(config, field) => updateConfig(node.id, config, `${node.id}:config.${field}`)}
        />
      ) : (
        <p className="error">This kind is not in the registry; fix it in the YAML pane.</p>
      )}
      <h3>Policies</h3>
      <SchemaForm
        schema={policiesSchema}
        hints={policyHints}
        value={policies}
        problems={wrapperProblems}
        onChange={(next, field) => updateNode(node.id, { [field]: next[field] }, `${node.id}:${field}`)}
      />
    </div>
  );
}

