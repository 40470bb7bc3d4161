import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edge, finalState, interpreterHarness } from './interpreter-harness.js';

let harness: Awaited<ReturnType<typeof interpreterHarness>>;
let folder: string;
beforeAll(async () => {
  harness = await interpreterHarness();
  folder = await mkdtemp(join(tmpdir(), 'runwright-dry-run-'));
});
afterAll(async () => {
  await harness?.stop();
  await rm(folder, { recursive: true, force: true });
});

describe('dry-run mode', () => {
  it('records what each action would do, with templates rendered, and runs none of them', async () => {
    const marker = join(folder, 'would-be-created');
    const { handle } = await harness.start(
      {
        parameters: { target: { type: 'string' }, hosts: { type: 'list' } },
        nodes: [
          { id: 'create', kind: 'shell', config: { command: ['touch', '{{ params.target }}'] } },
          // Nothing listens here: a real request would fail the run.
          { id: 'notify', kind: 'http', config: { method: 'POST', url: 'http://127.0.0.1:9/hooks/{{ params.hosts[0] }}', body: { text: 'created' } } },
          { id: 'soak', kind: 'observe', config: { duration: '1h', guards: [{ name: 'up', check: { kind: 'shell', config: { command: ['false'] } } }] } },
          { id: 'fleet', kind: 'forEach', config: { items: 'params.hosts' } },
          { id: 'per-host', kind: 'shell', parent: 'fleet', config: { command: ['touch', '{{ params.target }}-{{ item }}'] } },
        ],
        edges: [edge('create', 'notify'), edge('notify', 'soak'), edge('soak', 'fleet')],
      },
      { target: marker, hosts: ['db-1', 'db-2'] },
      { dryRun: true },
    );
    const { state, error } = await finalState(handle);
    expect(error).toBeUndefined();
    expect(state.dryRun).toBe(true);
    expect(state.nodes.create).toMatchObject({ status: 'succeeded', attempts: 0, output: { dryRun: true, kind: 'shell', wouldRun: { command: ['touch', marker] } } });
    expect(state.nodes.notify!.output).toMatchObject({ dryRun: true, kind: 'http', wouldRun: { method: 'POST', url: 'http://127.0.0.1:9/hooks/db-1' } });
    expect(state.nodes.soak!.output).toEqual({ polls: 1, windowMs: 3_600_000 });
    expect(state.nodes.fleet!.progress!.items).toEqual({ 'db-1': 'succeeded', 'db-2': 'succeeded' });
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(`${marker}-db-1`)).toBe(false);
  });
});
