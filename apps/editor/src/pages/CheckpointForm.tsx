import { useState } from 'react';
import { routes, type FailureAction, type PendingCheckpoint } from '@runwright/runbook';
import { api, ApiCallError } from '../api/client';
import { useCan } from '../auth/identity';

const actionLabels: Record<FailureAction, string> = { retry: 'Retry', skip: 'Skip', rollback: 'Roll back from here', abort: 'Abort the run' };

/** A checkpoint inside a forEach waits once per item, a gate once per batch: the heading says which. */
export function titleOf(checkpoint: PendingCheckpoint): string {
  if (checkpoint.item) return `${checkpoint.title} — ${checkpoint.item.forEachId} item ${checkpoint.item.key}`;
  if (checkpoint.gate) return `${checkpoint.title} — ${checkpoint.gate.forEachId} after batch ${checkpoint.gate.batch} of ${checkpoint.gate.batches}`;
  return checkpoint.title;
}

/** The inspection checklist of a pending checkpoint, with approve and reject. */
export function CheckpointForm({ runId, planHash, checkpoint }: { runId: string; planHash: string; checkpoint: PendingCheckpoint }) {
  const [answers, setAnswers] = useState<Record<string, unknown>>({});
  const [comment, setComment] = useState('');
  const [refusal, setRefusal] = useState<string>();
  const mayDecide = useCan(routes.decideCheckpoint.access);

  const decide = async (decision: 'approve' | 'reject', action?: FailureAction) => {
    try {
      await api.decideCheckpoint(runId, checkpoint.nodeId, {
        decision,
        planHash,
        comment,
        checklist: answers,
        ...(action && { action }),
        ...(checkpoint.item && { itemKey: checkpoint.item.key }),
      });
      setRefusal(undefined);
    } catch (e) {
      setRefusal((e as ApiCallError).message);
    }
  };

  if (!mayDecide) {
    return (
      <section className="checkpoint-form" data-checkpoint={checkpoint.nodeId} data-item={checkpoint.item?.key} data-may-decide="false">
        <h2>{titleOf(checkpoint)}</h2>
        <p>Waiting for a decision. Your role may not approve or reject; an approver can.</p>
      </section>
    );
  }
  return (
    <form className="checkpoint-form" data-checkpoint={checkpoint.nodeId} data-item={checkpoint.item?.key} onSubmit={(e) => e.preventDefault()}>
      <h2>{titleOf(checkpoint)}</h2>
      <p>{checkpoint.instructions}</p>
      {checkpoint.failure && (
        <p className="error failure">
          {checkpoint.failure.type}: {checkpoint.failure.message}
        </p>
      )}
      {checkpoint.checklist.map((item) => (
        <label key={item.id} className="checklist-item">
          {item.type === 'tick' || item.type === 'boolean' ? (
            <input
              type="checkbox"
              name={item.id}
              checked={answers[item.id] === true}
              onChange={(event) => setAnswers({ ...answers, [item.id]: event.target.checked })}
            />
          ) : (
            <input
              type={item.type === 'number' ? 'number' : 'text'}
              name={item.id}
              onChange={(event) =>
                setAnswers({ ...answers, [item.id]: item.type === 'number' ? Number(event.target.value) : event.target.value })
              }
            />
          )}
          {item.label}
          {item.required && ' *'}
        </label>
      ))}
      <label>
        Comment
        <textarea name="comment" value={comment} onChange={(event) => setComment(event.target.value)} />
      </label>
      {checkpoint.kind === 'failure' ? (
        <div className="actions failure-actions">
          {(checkpoint.actions ?? []).map((action) => (
            <button key={action} type="button" className={action === 'abort' || action === 'rollback' ? 'danger' : undefined} onClick={() => void decide('approve', action)}>
              {actionLabels[action]}
            </button>
          ))}
        </div>
      ) : (
        <div className="actions">
          <button type="button" onClick={() => void decide('approve')}>
            Approve
          </button>
          <button type="button" className="danger" onClick={() => void decide('reject')}>
            Reject
          </button>
        </div>
      )}
      {refusal && <p className="error refusal">{refusal}</p>}
    </form>
  );
}
