import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edge, finalState, interpreterHarness, shell } from './interpreter-harness.js';

let harness: Awaited<ReturnType<typeof interpreterHarness>>;
let folder: string;
beforeAll(async () => {
  harness = await interpreterHarness();
  folder = await mkdtemp(join(tmpdir(), 'runwright-observe-'));
});
afterAll(async () => {
  await harness?.stop();
  await rm(folder, { recursive: true, force: true });
});

/** A guard that logs each poll and fails from poll `failFrom` on (0: never). */
const countingGuard = (log: string, failFrom = 0) => ({
  name: 'error-rate',
  check: {
    kind: 'shell',
    config: {
      script: 'echo poll >> "$LOG"; n=$(wc -l < "$LOG"); if [ "$FAIL_FROM" -gt 0 ] && [ "$n" -ge "$FAIL_FROM" ]; then echo "error rate 12%" >&2; exit 1; fi',
      env: { LOG: log, FAIL_FROM: String(failFrom) },
    },
  },
});
const polls = async (log: string) => (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean).length;
const soakParams = { parameters: { soak: { type: 'string' }, every: { type: 'string' } } };

describe('observe nodes', () => {
  it('soaks for the window, polling the guards, and then lets the run go on', async () => {
    const log = join(folder, 'passing.log');
    const { handle } = await harness.start(
      {
        ...soakParams,
        nodes: [
          { id: 'soak', kind: 'observe', config: { duration: '{{ params.soak }}', interval: '{{ params.every }}', guards: [countingGuard(log)] } },
          shell('after', ['true']),
        ],
        edges: [edge('soak', 'after')],
      },
      { soak: '2s', every: '200ms' },
    );
    const { state, error } = await finalState(handle);
    expect(error).toBeUndefined();
    const output = state.nodes.soak!.output as { polls: number; windowMs: number };
    expect(output.windowMs).toBe(2000);
    // At the start, after intervals and at the end of the window (how many intervals fit
    // depends on the machine's speed, so only "more than start and end" is pinned).
    expect(output.polls).toBeGreaterThanOrEqual(3);
    expect(await polls(log)).toBe(output.polls);
    expect(state.nodes.after!.status).toBe('succeeded');
  });

  it('fails the node early when a guard fails, without waiting out the window', async () => {
    const log = join(folder, 'failing.log');
    const { handle } = await harness.start(
      {
        ...soakParams,
        nodes: [
          { id: 'soak', kind: 'observe', config: { duration: '{{ params.soak }}', interval: '{{ params.every }}', guards: [countingGuard(log, 3)] } },
          shell('after', ['true']),
        ],
        edges: [edge('soak', 'after')],
      },
      // An hour-long window: the run can only end in this test's time if the guard cuts it short.
      { soak: '1h', every: '200ms' },
    );
    const { state, error } = await finalState(handle);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(state.nodes.soak).toMatchObject({
      status: 'failed',
      error: { type: 'GuardFailed', message: expect.stringMatching(/^guard "error-rate" failed on poll 3: .*error rate 12%/) },
    });
    expect(await polls(log)).toBe(3);
    expect(state.nodes.after!.status).toBe('skipped');
  });

  it('is abandoned when another branch fails during the soak', async () => {
    const { handle } = await harness.start(
      {
        ...soakParams,
        nodes: [
          { id: 'soak', kind: 'observe', config: { duration: '{{ params.soak }}', interval: '{{ params.every }}' } },
          shell('breaks', ['sh', '-c', 'sleep 0.3; exit 1'], { retry: { maximumAttempts: 1 } }),
        ],
      },
      { soak: '1h', every: '1h' },
    );
    const { state } = await finalState(handle);
    expect(state.status).toBe('failed');
    expect(state.nodes.soak).toMatchObject({ status: 'skipped', error: { type: 'Abandoned' } });
  });
});
