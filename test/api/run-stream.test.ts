import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runViewSchema, type RunView } from '@runwright/runbook';
import { startApiStack, type ApiStack } from '../support/api-stack.js';
import { eventually } from '../support/eventually.js';

let stack: ApiStack;

beforeAll(async () => {
  stack = await startApiStack({ runbooks: { copy: ['hello'] }, settings: { RUNWRIGHT_STREAM_HEARTBEAT_SECONDS: '1' } });
});

afterAll(() => stack?.stop());

interface StreamEvent {
  event: string;
  data: string;
}

/** A real client of the stream: fetch with the bearer token (as the editor does), events parsed as they arrive. */
async function openStream(runId: string, token: string) {
  const abort = new AbortController();
  const response = await fetch(`${stack.api.url}/api/runs/${runId}/stream`, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal: abort.signal });
  const events: StreamEvent[] = [];
  let comments = 0;
  let buffer = '';
  let waiters: (() => void)[] = [];
  const wake = () => {
    for (const w of waiters) w();
    waiters = [];
  };
  const reading = (async () => {
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith(':')) comments++;
          else {
            const field = (name: string) => block.split('\n').find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2) ?? '';
            events.push({ event: field('event'), data: field('data') });
          }
          wake();
        }
      }
    } catch {
      // Aborted by the test.
    }
    wake();
    return 'closed' as const;
  })();
  return {
    response,
    events,
    get comments() {
      return comments;
    },
    reading,
    states: () => events.filter((e) => e.event === 'state').map((e) => runViewSchema.parse(JSON.parse(e.data)) as RunView),
    /** Waits (bounded by the test's own timeout) until the predicate holds over what has arrived. */
    async until(predicate: () => boolean): Promise<void> {
      while (!predicate()) {
        const settled = await Promise.race([new Promise<'event'>((r) => waiters.push(() => r('event'))), reading]);
        if (settled === 'closed' && !predicate()) throw new Error(`stream closed first; events: ${events.map((e) => e.event).join(',')}`);
      }
    },
    close: () => abort.abort(),
  };
}

async function gauge(name: string): Promise<number> {
  const { body } = await stack.api.call('GET', '/metrics', undefined, null);
  const line = (body as string).split('\n').find((l) => l.startsWith(`${name} `));
  return Number(line?.split(' ')[1]);
}

describe('GET /api/runs/:runId/stream', () => {
  it('streams state at once and on every change to every subscriber through one poller, heartbeats, then ends', async () => {
    const started = await stack.api.call('POST', '/api/runbooks/hello/runs', { params: { healthUrl: `${stack.api.url}/healthz` } }, stack.api.tokens.operator);
    expect(started.status).toBe(201);
    const { runId, planHash } = started.body;

    const first = await openStream(runId, stack.api.tokens.viewer);
    const second = await openStream(runId, stack.api.tokens.approver);
    for (const stream of [first, second]) {
      expect(stream.response.status).toBe(200);
      expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    }
    // The first state arrives without waiting for any change.
    await first.until(() => first.states().length >= 1);
    expect(first.states()[0]).toMatchObject({ runId, temporalStatus: 'RUNNING' });
    expect(await gauge('runwright_run_stream_pollers')).toBe(1);
    expect(await gauge('runwright_run_stream_subscribers')).toBe(2);

    await first.until(() => first.states().some((s) => s.state.status === 'waiting'));
    await second.until(() => second.states().some((s) => s.state.status === 'waiting'));
    // Changes only: no two consecutive states are the same.
    const bodies = first.events.filter((e) => e.event === 'state').map((e) => e.data);
    expect(bodies.every((b, i) => i === 0 || b !== bodies[i - 1])).toBe(true);
    // Idle: the stream stays open with comment heartbeats (1 s in this test's settings).
    await first.until(() => first.comments >= 1);

    // One subscriber leaves; the poller stays for the other.
    second.close();
    await eventually(() => gauge('runwright_run_stream_subscribers'), (n) => n === 1, { what: 'the API dropping the closed subscriber' });
    expect(await gauge('runwright_run_stream_pollers')).toBe(1);

    const decided = await stack.api.call('POST', `/api/runs/${runId}/checkpoints/confirm/decision`, { decision: 'approve', planHash, checklist: { 'greeting-read': true } }, stack.api.tokens.approver);
    expect(decided.status).toBe(200);
    await first.until(() => first.events.some((e) => e.event === 'end'));
    expect(await first.reading).toBe('closed');
    const last = first.states().at(-1)!;
    expect(last.state.status).toBe('succeeded');
    expect(last.temporalStatus).toBe('COMPLETED');
    expect(first.events.at(-1)!.event).toBe('end');
    // The end event names the status the run closed with, not the one it had when the stream opened.
    expect(JSON.parse(first.events.at(-1)!.data)).toEqual({ runId, temporalStatus: 'COMPLETED' });
    console.info(`run stream: ${first.states().length} state events, ${first.comments} heartbeats for one hello run`);
    await eventually(async () => [await gauge('runwright_run_stream_pollers'), await gauge('runwright_run_stream_subscribers')], (counts) => counts.every((n) => n === 0), { what: 'the poller stopping' });

    // A closed run: its final state, then end, at once.
    const late = await openStream(runId, stack.api.tokens.viewer);
    expect(await late.reading).toBe('closed');
    expect(late.events.map((e) => e.event)).toEqual(['state', 'end']);
    expect(JSON.parse(late.events[1]!.data)).toEqual({ runId, temporalStatus: 'COMPLETED' });
    expect(late.states()[0]!.state.status).toBe('succeeded');
    expect(await gauge('runwright_run_stream_pollers')).toBe(0);
  });

  it('stops polling a run that is still going once its last subscriber leaves', async () => {
    const started = await stack.api.call('POST', '/api/runbooks/hello/runs', { params: {} }, stack.api.tokens.operator);
    const stream = await openStream(started.body.runId, stack.api.tokens.viewer);
    await stream.until(() => stream.states().length >= 1);
    expect(await gauge('runwright_run_stream_pollers')).toBe(1);
    stream.close();
    await eventually(() => gauge('runwright_run_stream_pollers'), (n) => n === 0, { what: 'the poller stopping with no subscriber left' });
    expect((await stack.api.call('GET', `/api/runs/${started.body.runId}`)).body.temporalStatus).toBe('RUNNING');
    await stack.env.client.workflow.getHandle(started.body.runId).terminate('test done');
  });

  it('authenticates like every route and answers a missing run with a JSON 404', async () => {
    const anonymous = await stack.api.call('GET', '/api/runs/whatever/stream', undefined, null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error).toBe('unauthorized');
    const missing = await stack.api.call('GET', '/api/runs/no-such-run/stream', undefined, stack.api.tokens.viewer);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: 'not_found' });
  });

  it('is marked as an event stream in the OpenAPI document', async () => {
    const { body } = await stack.api.call('GET', '/api/openapi.json', undefined, null);
    expect(Object.keys(body.paths['/api/runs/{runId}/stream'].get.responses['200'].content)).toEqual(['text/event-stream']);
  });
});

describe('the runbook a run started with, and saved versions', () => {
  it('draws the version the run runs after the file changed, and serves each version by plan hash', async () => {
    const started = await stack.api.call('POST', '/api/runbooks/hello/runs', { params: {} }, stack.api.tokens.operator);
    const { runId, planHash: runPlanHash } = started.body;
    const original = readFileSync(join(stack.folder, 'hello.yaml'), 'utf8');
    const edited = original.replace('echo "hello, $WHO', 'echo "good morning, $WHO');
    const saved = await stack.api.call('PUT', '/api/runbooks/hello', { source: edited }, stack.api.tokens.operator);
    expect(saved.status).toBe(200);
    expect(saved.body.planHash).not.toBe(runPlanHash);

    const pinned = await stack.api.call('GET', `/api/runs/${runId}/runbook`, undefined, stack.api.tokens.viewer);
    expect(pinned.status).toBe(200);
    expect(pinned.body.planHash).toBe(runPlanHash);
    expect(JSON.stringify(pinned.body.runbook)).toContain('echo \\"hello, $WHO');
    // Cached, and still the same.
    expect((await stack.api.call('GET', `/api/runs/${runId}/runbook`)).body).toEqual(pinned.body);

    const before = await stack.api.call('GET', `/api/runbooks/hello/versions/${runPlanHash}`, undefined, stack.api.tokens.viewer);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ planHash: runPlanHash, source: original, problems: [], savedBy: 'disk' });
    expect(before.body.runbook.id).toBe('hello');
    const after = await stack.api.call('GET', `/api/runbooks/hello/versions/${saved.body.planHash}`);
    expect(after.body).toMatchObject({ planHash: saved.body.planHash, source: edited, savedBy: 'operator' });
    // By version hash as listed, too.
    const listed = await stack.api.call('GET', '/api/runbooks/hello/versions');
    const byVersion = await stack.api.call('GET', `/api/runbooks/hello/versions/${listed.body.versions[0].versionHash}`);
    expect(byVersion.body.source).toBe(original);

    expect((await stack.api.call('GET', `/api/runbooks/hello/versions/sha256:${'a'.repeat(64)}`)).status).toBe(404);
    const malformed = await stack.api.call('GET', '/api/runbooks/hello/versions/latest');
    expect(malformed.status).toBe(400);
    expect(malformed.body.details[0].path).toBe('path.planHash');
    await stack.env.client.workflow.getHandle(runId).terminate('test done');
  });

  it('answers 404 for a missing run and 409 for a workflow that is not a run', async () => {
    expect((await stack.api.call('GET', '/api/runs/no-such-run/runbook')).status).toBe(404);
    const foreign = await stack.env.client.workflow.start('runbookInterpreter', { taskQueue: `nobody-${Date.now()}`, workflowId: `foreign-${Date.now()}`, args: [{ not: 'a run' }] });
    const answer = await stack.api.call('GET', `/api/runs/${foreign.workflowId}/runbook`);
    expect(answer.status).toBe(409);
    await foreign.terminate('test done');
  });
});
