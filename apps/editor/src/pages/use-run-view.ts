import { useEffect, useState } from 'react';
import type { RunView } from '@runwright/runbook';
import { api } from '../api/client';
import { followRun } from '../api/run-stream';
import { streamRetryDelay } from '../api/stream-retry';

const finished = new Set(['succeeded', 'failed', 'cancelled']);
export const isFinished = (run: RunView) => finished.has(run.state.status);

/** How the page learns about changes: the API's event stream, or asking every second. */
export type LiveMode = 'stream' | 'polling' | 'closed';

/** Waits `ms`, or less if `signal` aborts first. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((done) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), done()), { once: true });
  });
}

/**
 * A run's live view from the API's server-sent events. When the stream cannot be opened or
 * breaks off (a proxy that buffers or cuts it, a restarted API), the page polls every second
 * and meanwhile retries the stream with backoff, going back to it as soon as it answers: a
 * long-open page should not stay on polling because of one hiccup. Either way the page stops
 * asking once the run has finished.
 */
export function useRunView(runId: string): { run?: RunView; error?: string; mode: LiveMode } {
  const [run, setRun] = useState<RunView>();
  const [error, setError] = useState<string>();
  const [mode, setMode] = useState<LiveMode>('stream');
  useEffect(() => {
    // Aborted when the page leaves or the run has finished: everything below stops.
    const stop = new AbortController();
    let polling: AbortController | undefined;
    const show = (next: RunView) => {
      if (stop.signal.aborted) return;
      setRun(next);
      setError(undefined);
    };
    const close = () => {
      if (stop.signal.aborted) return;
      setMode('closed');
      stop.abort();
    };
    const poll = async (signal: AbortSignal) => {
      while (!signal.aborted) {
        try {
          const next = await api.getRun(runId);
          // The stream may have come back while this request was out; it has the newer word.
          if (signal.aborted) return;
          show(next);
          if (isFinished(next)) return close();
        } catch (e) {
          if (!signal.aborted) setError((e as Error).message);
        }
        await pause(1_000, signal);
      }
    };
    const startPolling = () => {
      if (polling && !polling.signal.aborted) return;
      polling = new AbortController();
      stop.signal.addEventListener('abort', () => polling?.abort(), { once: true });
      setMode('polling');
      void poll(polling.signal);
    };
    const streamOpened = () => {
      polling?.abort();
      attempt = 0;
      if (!stop.signal.aborted) setMode('stream');
    };
    let attempt = 0;
    const follow = async () => {
      while (!stop.signal.aborted) {
        try {
          await followRun(runId, show, stop.signal, streamOpened);
          return close();
        } catch (e) {
          if (stop.signal.aborted) return;
          const delay = streamRetryDelay(attempt++);
          console.warn(`${(e as Error).message}; polling, and trying the stream again in ${Math.round(delay / 100) / 10} s`);
          startPolling();
          await pause(delay, stop.signal);
        }
      }
    };
    void follow();
    return () => stop.abort();
  }, [runId]);
  return { run, mode, ...(error !== undefined && { error }) };
}
