import type { InboxEntry } from '@runwright/runbook';
import { api } from '../api/client';
import { usePolling } from '../use-polling';
import { titleOf } from './CheckpointForm';

/** The approvals inbox: every checkpoint waiting for a decision, in every running run. */
export function ApprovalsPage() {
  const { value, error } = usePolling(() => api.listCheckpoints(), 2_000, () => false, 'inbox');
  const entries: InboxEntry[] = value?.checkpoints ?? [];
  return (
    <section className="approvals-page">
      <h1>Approvals</h1>
      {error && <p className="error">{error}</p>}
      {value && entries.length === 0 && <p>Nothing is waiting for a decision.</p>}
      <ul className="inbox">
        {entries.map((entry) => (
          <li key={`${entry.runId}/${entry.nodeId}/${entry.item?.key ?? ''}`} data-run-id={entry.runId} data-checkpoint={entry.nodeId} data-item={entry.item?.key}>
            <a href={`#/runs/${encodeURIComponent(entry.runId)}`}>{titleOf(entry)}</a> — {entry.runbookId}, started by {entry.startedBy}
          </li>
        ))}
      </ul>
      {value && value.unreachableRuns.length > 0 && <p className="error">Could not ask {value.unreachableRuns.length} run(s) for their checkpoints.</p>}
    </section>
  );
}
