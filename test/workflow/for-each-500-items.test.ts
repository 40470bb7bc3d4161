import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finalState, interpreterHarness } from './interpreter-harness.js';

let harness: Awaited<ReturnType<typeof interpreterHarness>>;
beforeAll(async () => {
  harness = await interpreterHarness();
});
afterAll(async () => harness?.stop());

// Temporal's limits: about 51,200 events and 50 MB per history. Batches as child workflows keep
// the parent's history to a few events per batch however many items there are.
const historyEventLimit = 51_200;

describe('a 500-item forEach', () => {
  it('runs every item and keeps every history far below the limits', { timeout: 600_000 }, async () => {
    const count = 500;
    const batchSize = 50;
    const started = performance.now();
    const { handle } = await harness.start({
      parameters: { count: { type: 'number' } },
      nodes: [
        { id: 'fleet', kind: 'forEach', config: { items: '[1..params.count]', batchSize, maxConcurrency: 25 } },
        { id: 'touch', kind: 'shell', parent: 'fleet', config: { command: ['true'] } },
      ],
    }, { count });
    const { state, error } = await finalState(handle);
    const seconds = (performance.now() - started) / 1000;
    expect(error).toBeUndefined();
    expect(state.nodes.fleet!.output).toMatchObject({ total: count, succeeded: count, failed: 0 });
    expect(Object.values(state.nodes.fleet!.progress!.items).every((s) => s === 'succeeded')).toBe(true);

    const parentEvents = (await handle.fetchHistory()).events!.length;
    const batchEvents = (await harness.env.client.workflow.getHandle(`${handle.workflowId}/fleet/batch-1`).fetchHistory()).events!.length;
    // Figures for the report; the assertions below are about limits, not speed.
    console.log(`500-item forEach: ${seconds.toFixed(1)} s, parent history ${parentEvents} events, one batch child ${batchEvents} events`);
    expect(parentEvents).toBeLessThan(count);
    expect(batchEvents * (count / batchSize)).toBeLessThan(historyEventLimit);
  });
});
