import type { PlanPreview, PlannedForEach, PlannedNode } from '@runwright/runbook';
import { checkpointWaits } from './checkpoint-waits-text';

const runsLabel = { yes: 'runs', no: 'skipped', maybe: 'decided during the run' } as const;

/** What holds the next batch back: the soak (window, polls, guards) and the sign-off. */
function gateText(gate: NonNullable<PlannedForEach['gates']>[number]): string {
  const soak = gate.observe && `soak ${gate.observe.duration}, polling every ${gate.observe.interval}${gate.observe.guards.length ? ` (${gate.observe.guards.join(', ')})` : ''}`;
  const signOff = gate.checkpoint && `sign-off "${gate.checkpoint.title}"`;
  return [soak, signOff].filter(Boolean).join(', then ');
}

function Node({ node }: { node: PlannedNode }) {
  return (
    <li data-plan-node={node.id} data-runs={node.runs}>
      <code>{node.id}</code> {node.title && `— ${node.title}`} <span className={`runs-${node.runs}`}>({runsLabel[node.runs]}{node.why ? `: ${node.why}` : ''})</span>
      {node.forEach && (
        <div className="plan-for-each">
          {node.forEach.items ? `${node.forEach.items.length} items` : `items decided during the run (${node.forEach.itemsPending})`}
          {node.forEach.batches && ` in ${node.forEach.batches.length} batches: ${node.forEach.batches.map((b) => `${b.canary ? 'canary ' : ''}[${b.keys.join(', ')}]`).join(' → ')}`}
          {node.forEach.decisions !== undefined && node.forEach.decisions > 0 && `; asks for ${node.forEach.decisions} approval${node.forEach.decisions === 1 ? '' : 's'}`}
          <ol>
            {node.forEach.body.map((stage) => (
              <li key={stage.stage}>
                <ul>
                  {stage.nodes.map((inner) => (
                    <Node key={inner.id} node={inner} />
                  ))}
                </ul>
              </li>
            ))}
          </ol>
          {node.forEach.gates && (
            <ul className="plan-gates" aria-label={`Gates of ${node.id}`}>
              {node.forEach.gates.map((gate) => (
                <li key={gate.id} data-plan-gate={gate.id}>
                  after batch {gate.afterBatch}
                  {gate.canary && ' (canary)'}: <code>{gate.id}</code> — {gateText(gate)}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </li>
  );
}

/** What a run with these parameters would do: the order, items, batches, checkpoints and rollback plan. */
export function PlanPreviewPanel({ preview, onClose }: { preview: PlanPreview; onClose(): void }) {
  return (
    <section className="plan-preview" aria-label="Plan preview">
      <header>
        <h3>Plan preview</h3>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </header>
      {!preview.ok ? (
        <ul className="error">
          {preview.problems.map((p, i) => (
            <li key={i}>
              <code>{p.path}</code> {p.message}
            </li>
          ))}
        </ul>
      ) : (
        <>
          <h4>Order (steps in one stage start together)</h4>
          <ol className="plan-stages">
            {preview.stages.map((stage) => (
              <li key={stage.stage}>
                <ul>
                  {stage.nodes.map((node) => (
                    <Node key={node.id} node={node} />
                  ))}
                </ul>
              </li>
            ))}
          </ol>
          <h4>Checkpoints</h4>
          {preview.checkpoints.length === 0 ? (
            <p>None.</p>
          ) : (
            <ul>
              {preview.checkpoints.map((c) => (
                <li key={c.nodeId} data-plan-checkpoint={c.nodeId}>
                  <code>{c.nodeId}</code> {String(c.title)} ({runsLabel[c.runs]}){checkpointWaits(c)}
                </li>
              ))}
            </ul>
          )}
          <h4>Rollback plan</h4>
          {preview.rollback.length === 0 ? (
            <p>Nothing to roll back: no planned step has a rollback action.</p>
          ) : (
            <ol>
              {preview.rollback.map((r) => (
                <li key={r.nodeId}>
                  undo <code>{r.nodeId}</code> with {r.kind}
                  {r.perItem && ' (per item)'}
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </section>
  );
}
