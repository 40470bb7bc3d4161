import { useState } from 'react';
import { routes } from '@runwright/runbook';
import { api, ApiCallError } from '../api/client';
import { useCan } from '../auth/identity';

/** Asks the run to stop (its rollback runs if the runbook says so); offered only to roles that may. */
export function CancelRunButton({ runId }: { runId: string }) {
  const mayCancel = useCan(routes.cancelRun.access);
  const [message, setMessage] = useState<string>();
  if (!mayCancel) return null;
  return (
    <span className="cancel-run">
      <button
        type="button"
        className="danger"
        onClick={() => {
          if (!window.confirm('Cancel this run?')) return;
          api.cancelRun(runId, 'cancelled from the editor').then(
            () => setMessage('Cancellation requested.'),
            (e: ApiCallError) => setMessage(e.message),
          );
        }}
      >
        Cancel run
      </button>
      {message && <span className="help"> {message}</span>}
    </span>
  );
}
