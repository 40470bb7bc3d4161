import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interpreterHarness, stateOf } from './interpreter-harness.js';

let harness: Awaited<ReturnType<typeof interpreterHarness>>;

beforeAll(async () => {
  harness = await interpreterHarness();
});

afterAll(async () => harness?.stop());

describe('a run started with bad parameters by a client other than the API', () => {
  it('is refused before any step runs, and its state says why', async () => {
    const { handle } = await harness.start(
      {
        parameters: { replicas: { type: 'number', min: 1 } },
        nodes: [{ id: 'scale', kind: 'shell', config: { command: ['echo', '{{ params.replicas }}'] } }],
      },
      { replicas: 0, extra: true },
    );
    const error = await handle.result().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const state = await stateOf(handle);
    expect(state.status).toBe('failed');
    expect(state.error?.message).toMatch(/^invalid parameters: /);
    expect(state.error?.message).toContain('params.replicas');
    expect(state.nodes.scale!.status).toBe('pending');
    const scheduled = (await handle.fetchHistory()).events!.filter((e) => e.activityTaskScheduledEventAttributes);
    expect(scheduled).toHaveLength(0);
  });
});
