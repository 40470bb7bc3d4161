import { useCallback, useEffect, useState } from 'react';
import { routes, type ScheduleView } from '@runwright/runbook';
import { api, ApiCallError } from '../api/client';
import { useCan } from '../auth/identity';
import { ScheduleOverrideBadge } from './ScheduleOverrideBadge';

const when = (iso: string | undefined) => (iso ? new Date(iso).toLocaleString() : '—');

/**
 * Every runbook schedule as Temporal runs it: when it fires next, what it started last, paused or
 * not (and why), its overlap policy, and whether this installation overrides it (and how). Pause
 * and trigger-now are offered only to roles that may.
 */
export function SchedulesPage({ runbookId }: { runbookId?: string }) {
  const [schedules, setSchedules] = useState<ScheduleView[]>();
  const [error, setError] = useState<string>();
  const [message, setMessage] = useState<string>();
  const mayPause = useCan(routes.pauseSchedule.access);
  const mayTrigger = useCan(routes.triggerSchedule.access);
  const load = useCallback(
    () =>
      api.listSchedules().then(
        (r) => (setSchedules(r.schedules), setError(undefined)),
        (e: Error) => setError(e.message),
      ),
    [],
  );
  useEffect(() => void load(), [load]);

  const act = async (what: () => Promise<unknown>, done: string) => {
    try {
      await what();
      setMessage(done);
    } catch (e) {
      setMessage(e instanceof ApiCallError ? `Refused: ${e.message}` : String(e));
    }
    await load();
  };
  const shown = (schedules ?? []).filter((s) => !runbookId || s.runbookId === runbookId);
  return (
    <section className="schedules-page">
      <h1>Schedules{runbookId && <> of {runbookId}</>}</h1>
      {runbookId && <a href="#/schedules">all schedules</a>}
      {error && <p className="error">{error}</p>}
      {message && <p className="schedule-message">{message}</p>}
      {schedules && shown.length === 0 && <p>No schedules{runbookId ? ' for this runbook' : ''}. A runbook gets one from its <code>triggers.schedules</code>.</p>}
      {shown.length > 0 && (
        <table className="runs schedules">
          <thead>
            <tr>
              <th>Runbook</th>
              <th>Schedule</th>
              <th>When</th>
              <th>State</th>
              <th>Overlap</th>
              <th>Next run</th>
              <th>Last run</th>
              {(mayPause || mayTrigger) && <th />}
            </tr>
          </thead>
          <tbody>
            {shown.map((s) => {
              const last = s.recentRuns.at(-1);
              return (
                <tr key={s.scheduleId} data-schedule={s.scheduleId} data-paused={s.paused} data-overridden={s.override !== undefined}>
                  <td>
                    <a href={`#/runbooks/${encodeURIComponent(s.runbookId)}`}>{s.runbookId}</a>
                  </td>
                  <td>{s.name}</td>
                  <td className="schedule-when">
                    <code>{s.every ? `every ${s.every}` : s.cron.join(', ') || '—'}</code>
                    {s.timezone && ` (${s.timezone})`}
                    <ScheduleOverrideBadge schedule={s} />
                  </td>
                  <td className={s.paused ? 'schedule-paused' : 'schedule-active'}>
                    {s.paused ? 'paused' : 'active'}
                    {s.note && <span className="help"> {s.note}</span>}
                  </td>
                  <td title={`missed runs are caught up within ${s.catchupWindowSeconds}s`}>{s.overlap}</td>
                  <td className="next-run">{s.paused ? '—' : when(s.nextRunsAt[0])}</td>
                  <td className="last-run-cell">
                    {last ? (
                      <a href={`#/runs/${encodeURIComponent(last.runId)}`} title={last.runId}>
                        {when(last.scheduledAt)}
                      </a>
                    ) : (
                      'never'
                    )}
                  </td>
                  {(mayPause || mayTrigger) && (
                    <td className="actions">
                      {mayPause && (
                        <button
                          type="button"
                          onClick={() => {
                            const note = window.prompt(s.paused ? 'Unpause: note (optional)' : 'Pause: why?', '');
                            if (note === null) return;
                            void act(() => api.pauseSchedule(s.scheduleId, !s.paused, note), `${s.name}: ${s.paused ? 'unpaused' : 'paused'}.`);
                          }}
                        >
                          {s.paused ? 'Unpause' : 'Pause'}
                        </button>
                      )}
                      {mayTrigger && (
                        <button
                          type="button"
                          onClick={() => {
                            if (!window.confirm(`Start ${s.runbookId} now (${s.name}), under its overlap policy ${s.overlap}?`)) return;
                            void act(() => api.triggerSchedule(s.scheduleId), `${s.name}: triggered; the run shows up under Last run in a moment.`);
                          }}
                        >
                          Trigger now
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
