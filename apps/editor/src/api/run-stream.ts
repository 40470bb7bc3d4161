import { createParser } from 'eventsource-parser';
import { routePath, routes, runStreamEvents, runViewSchema, type RunView } from '@runwright/runbook';
import { storedToken } from './client';

/**
 * Follows a run's server-sent events until the API says `end` (the run closed) or `signal`
 * aborts. EventSource cannot send the bearer token, so the stream is read with fetch. `onOpen`
 * is called once the API has answered with a stream. Resolves on `end`; rejects when the stream
 * cannot be opened or breaks off before `end`, so the caller can poll and retry.
 */
export async function followRun(runId: string, onState: (run: RunView) => void, signal: AbortSignal, onOpen?: () => void): Promise<void> {
  const token = storedToken();
  const response = await fetch(routePath(routes.streamRun.path, { runId }), {
    headers: { accept: 'text/event-stream', ...(token && { authorization: `Bearer ${token}` }) },
    signal,
  });
  if (!response.ok || !response.body || !response.headers.get('content-type')?.startsWith('text/event-stream')) {
    throw new Error(`run stream: HTTP ${response.status}`);
  }
  onOpen?.();
  let ended = false;
  let broken: Error | undefined;
  const parser = createParser({
    onEvent: (event) => {
      if (event.event === runStreamEvents.end) ended = true;
      if (event.event !== runStreamEvents.state) return;
      const parsed = runViewSchema.safeParse(JSON.parse(event.data));
      if (parsed.success) onState(parsed.data);
      else broken = new Error(`run stream: a state event does not fit the contract (${parsed.error.issues[0]?.message})`);
    },
  });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    while (!ended && !broken) {
      const { value, done } = await reader.read();
      if (done) break;
      parser.feed(value);
    }
  } finally {
    // Leaving early (end, abort, a bad event) closes the connection, so the API drops its subscriber.
    await reader.cancel().catch(() => undefined);
  }
  if (broken) throw broken;
  if (!ended) throw new Error('run stream: closed before the run ended');
}
