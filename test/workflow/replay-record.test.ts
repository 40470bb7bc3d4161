// Records the histories the replay test replays. Runs only with RUNWRIGHT_RECORD_HISTORIES=1
// (`RUNWRIGHT_RECORD_HISTORIES=1 npx vitest run test/workflow/replay-record.test.ts`); commit
// the files it writes under test/workflow/histories/. Each scenario is a finished run of a
// distinct path through the interpreter: approval, rejection, a retried failing action, a
// branch with a condition, a forEach in batches, a rollback after a failure, an observe soak
// with a guard, and a sub-runbook. Scenarios named "patched: …" record paths that went behind a
// `patched()` id (workers/src/workflows/patches.ts); record only those with
// `-t patched` so the older histories stay as they were recorded.
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { runProtocol, searchAttributes, type DecideCheckpointInput, type RunInput, type RunState } from '@runwright/runbook';
import { startHttpServer } from '../support/http-server.js';
import { recordHistory, recordingHistories } from '../support/record-history.js';
import { shippedRunbook, testRunbook } from '../support/runbooks.js';
import { connectToTestServer, startTestWorker, type RunningWorker } from '../support/temporal.js';

describe.runIf(recordingHistories())('recording histories for the replay test', () => {
  let env: TestWorkflowEnvironment;
  let worker: RunningWorker;
  let health: Awaited<ReturnType<typeof startHttpServer>>;

  beforeAll(async () => {
    env = await connectToTestServer();
    worker = await startTestWorker(env);
    health = await startHttpServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}'));
  });

  afterAll(async () => {
    await worker?.stop();
    await health?.close();
    await env?.teardown();
  });

  async function start(input: Omit<RunInput, 'trigger'>): Promise<WorkflowHandle> {
    return env.client.workflow.start(runProtocol.workflowType, {
      taskQueue: worker.taskQueue,
      // Fixed ids keep re-recorded files comparable; the suffix keeps reruns from colliding.
      workflowId: `replay-${input.runbook.id}-${randomUUID().slice(0, 8)}`,
      args: [{ trigger: { type: 'manual', by: 'alice' }, ...input } satisfies RunInput],
    });
  }

  async function waitUntilWaiting(handle: WorkflowHandle): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if ((await handle.query<RunState>(runProtocol.queries.state)).status === 'waiting') return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the run never waited at its checkpoint');
  }

  async function decide(handle: WorkflowHandle, planHash: string, decision: 'approve' | 'reject') {
    const input: DecideCheckpointInput = {
      nodeId: 'confirm',
      decision,
      planHash,
      decider: { user: 'bob', roles: ['approver'] },
      comment: decision === 'approve' ? 'greeting seen' : 'not today',
      checklist: decision === 'approve' ? { 'greeting-read': true } : {},
    };
    await handle.executeUpdate(runProtocol.updates.decideCheckpoint, { args: [input] });
  }

  it('hello, approved', async () => {
    const { runbook, planHash } = shippedRunbook('hello');
    const handle = await start({ runbook, planHash, params: { who: 'Ada', healthUrl: `${health.url}/healthz` } });
    await waitUntilWaiting(handle);
    await decide(handle, planHash, 'approve');
    expect(((await handle.result()) as RunState).status).toBe('succeeded');
    expect(await recordHistory(handle, 'hello-approved')).toMatch(/hello-approved\.json$/);
  });

  it('hello, rejected', async () => {
    const { runbook, planHash } = shippedRunbook('hello');
    const handle = await start({ runbook, planHash, params: { healthUrl: `${health.url}/healthz` } });
    await waitUntilWaiting(handle);
    await decide(handle, planHash, 'reject');
    await expect(handle.result()).rejects.toThrow();
    expect(await recordHistory(handle, 'hello-rejected')).toMatch(/hello-rejected\.json$/);
  });

  it('a failing action retried, then the run failed', async () => {
    const { runbook, planHash } = testRunbook({
      nodes: [
        { id: 'fails', kind: 'shell', retry: { maximumAttempts: 2, initialInterval: '100ms' }, config: { command: ['sh', '-c', 'echo broken >&2; exit 3'] } },
        { id: 'after', kind: 'shell', config: { command: ['true'] } },
      ],
      edges: [{ from: 'fails', to: 'after' }],
    });
    const handle = await start({ runbook, planHash, params: {} });
    await expect(handle.result()).rejects.toThrow();
    expect(await recordHistory(handle, 'retry-then-fail')).toMatch(/retry-then-fail\.json$/);
  });

  it('a branch the parameters decide, with a skipped path and a false condition', async () => {
    const { runbook, planHash } = testRunbook({
      parameters: { mode: { type: 'string', default: 'fast' }, extra: { type: 'boolean', default: false } },
      nodes: [
        { id: 'pick', kind: 'branch', config: { expression: 'params.mode' } },
        { id: 'fast', kind: 'shell', config: { command: ['echo', 'fast'] } },
        { id: 'safe', kind: 'shell', config: { command: ['echo', 'safe'] } },
        { id: 'join', kind: 'shell', config: { command: ['echo', '{{ steps.pick.output.taken[0] }}'] } },
        { id: 'extra', kind: 'shell', when: 'params.extra', config: { command: ['true'] } },
      ],
      edges: [
        { from: 'pick', to: 'fast', label: 'fast' },
        { from: 'pick', to: 'safe', label: 'safe' },
        { from: 'fast', to: 'join' },
        { from: 'safe', to: 'join' },
        { from: 'join', to: 'extra' },
      ],
    });
    const handle = await start({ runbook, planHash, params: { mode: 'fast', extra: false } });
    const state = (await handle.result()) as RunState;
    expect([state.nodes.safe!.status, state.nodes.join!.status, state.nodes.extra!.status]).toEqual(['skipped', 'succeeded', 'skipped']);
    expect(await recordHistory(handle, 'branch-and-when')).toMatch(/branch-and-when\.json$/);
  });

  it('a forEach over three items in batches of two', async () => {
    const { runbook, planHash } = testRunbook({
      parameters: { hosts: { type: 'list', default: ['web-1', 'web-2', 'web-3'] } },
      nodes: [
        { id: 'each', kind: 'forEach', config: { items: 'params.hosts', batchSize: 2 } },
        { id: 'touch', kind: 'shell', parent: 'each', config: { command: ['echo', '{{ item }}'] } },
        { id: 'after', kind: 'shell', config: { command: ['true'] } },
      ],
      edges: [{ from: 'each', to: 'after' }],
    });
    const handle = await start({ runbook, planHash, params: {} });
    const state = (await handle.result()) as RunState;
    expect(state.nodes.each!.output).toMatchObject({ total: 3, succeeded: 3 });
    expect(await recordHistory(handle, 'for-each-batches')).toMatch(/for-each-batches\.json$/);
    // Each batch is a child workflow with its own history; record the first one too.
    const batch = env.client.workflow.getHandle(`${handle.workflowId}/each/batch-1`);
    expect(await recordHistory(batch, 'for-each-batch-child')).toMatch(/for-each-batch-child\.json$/);
  });

  it('a failure rolled back', async () => {
    const { runbook, planHash } = testRunbook({
      defaults: { onFailure: 'rollback' },
      nodes: [
        { id: 'prepare', kind: 'shell', config: { command: ['true'] }, rollback: { kind: 'shell', config: { command: ['echo', 'undo prepare'] } } },
        { id: 'breaks', kind: 'shell', retry: { maximumAttempts: 1 }, config: { command: ['sh', '-c', 'exit 7'] } },
      ],
      edges: [{ from: 'prepare', to: 'breaks' }],
    });
    const handle = await start({ runbook, planHash, params: {} });
    await expect(handle.result()).rejects.toThrow();
    const state = await handle.query<RunState>(runProtocol.queries.state);
    expect(state.nodes.prepare!.status).toBe('rolled-back');
    expect(await recordHistory(handle, 'rollback-after-failure')).toMatch(/rollback-after-failure\.json$/);
  });

  it('an observe soak polling a guard', async () => {
    const { runbook, planHash } = testRunbook({
      parameters: { soak: { type: 'string', default: '1s' } },
      nodes: [
        { id: 'soak', kind: 'observe', config: { duration: '{{ params.soak }}', interval: '300ms', guards: [{ name: 'alive', check: { kind: 'shell', config: { command: ['true'] } } }] } },
        { id: 'after', kind: 'shell', config: { command: ['true'] } },
      ],
      edges: [{ from: 'soak', to: 'after' }],
    });
    const handle = await start({ runbook, planHash, params: {} });
    expect(((await handle.result()) as RunState).status).toBe('succeeded');
    expect(await recordHistory(handle, 'observe-soak')).toMatch(/observe-soak\.json$/);
  });

  async function decideItem(handle: WorkflowHandle, planHash: string, input: Pick<DecideCheckpointInput, 'nodeId' | 'itemKey' | 'action'> & Partial<DecideCheckpointInput>) {
    await handle.executeUpdate(runProtocol.updates.decideCheckpoint, {
      args: [{ decision: 'approve', planHash, decider: { user: 'bob', roles: ['approver', 'operator'] }, ...input } satisfies DecideCheckpointInput],
    });
  }

  async function waitForPending(handle: WorkflowHandle, count: number): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if ((await handle.query<RunState>(runProtocol.queries.state)).pendingCheckpoints.length === count) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the run never had ${count} pending checkpoint(s)`);
  }

  it('patched: foreach-item-rollback — a later failure undoes the forEach items that succeeded', async () => {
    const undo = (what: string) => ({ kind: 'shell', config: { command: ['echo', `undo ${what} {{ item }}`] } });
    const { runbook, planHash } = testRunbook({
      defaults: { onFailure: 'rollback' },
      parameters: { hosts: { type: 'list', default: ['web-1', 'web-2', 'web-3'] } },
      nodes: [
        { id: 'each', kind: 'forEach', config: { items: 'params.hosts', batchSize: 2 } },
        { id: 'change', kind: 'shell', parent: 'each', config: { command: ['echo', '{{ item }}'] }, rollback: undo('change') },
        { id: 'breaks', kind: 'shell', retry: { maximumAttempts: 1 }, config: { command: ['sh', '-c', 'exit 7'] } },
      ],
      edges: [{ from: 'each', to: 'breaks' }],
    });
    const handle = await start({ runbook, planHash, params: {} });
    await expect(handle.result()).rejects.toThrow();
    const state = await handle.query<RunState>(runProtocol.queries.state);
    expect(state.nodes.each!.progress!.items).toEqual({ 'web-1': 'rolled-back', 'web-2': 'rolled-back', 'web-3': 'rolled-back' });
    expect(await recordHistory(handle, 'for-each-item-rollback')).toMatch(/for-each-item-rollback\.json$/);
    const batch = env.client.workflow.getHandle(`${handle.workflowId}/each/batch-1`);
    expect(await recordHistory(batch, 'for-each-item-rollback-batch')).toMatch(/for-each-item-rollback-batch\.json$/);
  });

  it('patched: foreach-item-checkpoints — a checkpoint inside items decided on the run', async () => {
    const { runbook, planHash } = testRunbook({
      parameters: { hosts: { type: 'list', default: ['web-1', 'web-2'] } },
      nodes: [
        { id: 'each', kind: 'forEach', config: { items: 'params.hosts', batchSize: 2, failureThreshold: 1 } },
        { id: 'gate', kind: 'checkpoint', parent: 'each', config: { title: 'Go on with {{ item }}?' } },
        { id: 'touch', kind: 'shell', parent: 'each', config: { command: ['echo', '{{ item }}'] } },
      ],
      edges: [{ from: 'gate', to: 'touch' }],
    });
    const handle = await start({ runbook, planHash, params: {} });
    await waitForPending(handle, 2);
    await decideItem(handle, planHash, { nodeId: 'gate', itemKey: 'web-1' });
    await waitForPending(handle, 1);
    await decideItem(handle, planHash, { nodeId: 'gate', itemKey: 'web-2', decision: 'reject' });
    const state = (await handle.result()) as RunState;
    expect(state.nodes.each!.progress!.items).toEqual({ 'web-1': 'succeeded', 'web-2': 'failed' });
    expect(await recordHistory(handle, 'for-each-item-checkpoint')).toMatch(/for-each-item-checkpoint\.json$/);
    const batch = env.client.workflow.getHandle(`${handle.workflowId}/each/batch-1`);
    expect(await recordHistory(batch, 'for-each-item-checkpoint-batch')).toMatch(/for-each-item-checkpoint-batch\.json$/);
  });

  it('patched: foreach-item-ask — onFailure ask inside an item, retried by a person', async () => {
    const marker = `/tmp/runwright-record-ask-${randomUUID()}`;
    const { runbook, planHash } = testRunbook({
      parameters: { hosts: { type: 'list', default: ['web-1'] } },
      nodes: [
        { id: 'each', kind: 'forEach', config: { items: 'params.hosts' } },
        {
          id: 'flaky',
          kind: 'shell',
          parent: 'each',
          retry: { maximumAttempts: 1 },
          onFailure: 'ask',
          config: { script: 'if [ -f "$M" ]; then rm "$M"; echo ok; else touch "$M"; exit 1; fi', env: { M: marker } },
        },
      ],
    });
    const handle = await start({ runbook, planHash, params: {} });
    await waitForPending(handle, 1);
    await decideItem(handle, planHash, { nodeId: 'flaky', itemKey: 'web-1', action: 'retry' });
    expect(((await handle.result()) as RunState).nodes.each!.progress!.items).toEqual({ 'web-1': 'succeeded' });
    expect(await recordHistory(handle, 'for-each-item-ask')).toMatch(/for-each-item-ask\.json$/);
    const batch = env.client.workflow.getHandle(`${handle.workflowId}/each/batch-1`);
    expect(await recordHistory(batch, 'for-each-item-ask-batch')).toMatch(/for-each-item-ask-batch\.json$/);
  });

  it('patched: dry-run-checks-config — a rehearsal whose rendered port is out of range fails that node', async () => {
    const { runbook, planHash } = testRunbook({
      parameters: { port: { type: 'number', default: 5432 } },
      nodes: [
        { id: 'greet', kind: 'shell', config: { command: ['echo', 'hello'] } },
        { id: 'query', kind: 'postgres.sql', config: { connection: { host: '127.0.0.1', port: '{{ params.port }}', user: 'postgres' }, sql: 'SELECT 1' } },
      ],
      edges: [{ from: 'greet', to: 'query' }],
    });
    const handle = await start({ runbook, planHash, params: { port: 70000 }, dryRun: true });
    await expect(handle.result()).rejects.toThrow();
    const state = await handle.query<RunState>(runProtocol.queries.state);
    expect(state.nodes.query!.error).toMatchObject({ type: 'InvalidConfig' });
    expect(await recordHistory(handle, 'dry-run-invalid-config')).toMatch(/dry-run-invalid-config\.json$/);
  });

  it('patched: foreach-item-settled-notice — an item finishes while another waits at its checkpoint', async () => {
    const { runbook, planHash } = testRunbook({
      parameters: { hosts: { type: 'list', default: ['web-1', 'web-2'] } },
      nodes: [
        { id: 'each', kind: 'forEach', config: { items: 'params.hosts', batchSize: 2 } },
        { id: 'gate', kind: 'checkpoint', parent: 'each', config: { title: 'Go on with {{ item }}?' } },
        { id: 'touch', kind: 'shell', parent: 'each', config: { command: ['echo', '{{ item }}'] } },
      ],
      edges: [{ from: 'gate', to: 'touch' }],
    });
    const handle = await start({ runbook, planHash, params: {} });
    await waitForPending(handle, 2);
    await decideItem(handle, planHash, { nodeId: 'gate', itemKey: 'web-1' });
    // web-1 ends while web-2 waits: the batch tells the run, which then reads waiting with one checkpoint left.
    let state = await handle.query<RunState>(runProtocol.queries.state);
    for (let i = 0; i < 200 && !(state.status === 'waiting' && state.pendingCheckpoints.length === 1); i++) {
      await new Promise((r) => setTimeout(r, 100));
      state = await handle.query<RunState>(runProtocol.queries.state);
    }
    // The recorded history must hold the notice that made the run read waiting.
    expect([state.status, state.pendingCheckpoints.length]).toEqual(['waiting', 1]);
    await decideItem(handle, planHash, { nodeId: 'gate', itemKey: 'web-2' });
    expect(((await handle.result()) as RunState).status).toBe('succeeded');
    expect(await recordHistory(handle, 'for-each-item-settled-notice')).toMatch(/for-each-item-settled-notice\.json$/);
    const batch = env.client.workflow.getHandle(`${handle.workflowId}/each/batch-1`);
    expect(await recordHistory(batch, 'for-each-item-settled-notice-batch')).toMatch(/for-each-item-settled-notice-batch\.json$/);
  });

  it('patched: foreach-nested-rollback — a later failure undoes the items of a forEach nested in an item', async () => {
    const undo = (what: string) => ({ kind: 'shell', config: { command: ['echo', `undo ${what} {{ item }}`] } });
    const { runbook, planHash } = testRunbook({
      defaults: { onFailure: 'rollback' },
      parameters: { sites: { type: 'list', default: ['east'] } },
      nodes: [
        { id: 'sites', kind: 'forEach', config: { items: 'params.sites' } },
        { id: 'open', kind: 'shell', parent: 'sites', config: { command: ['echo', '{{ item }}'] }, rollback: undo('open') },
        { id: 'hosts', kind: 'forEach', parent: 'sites', config: { items: "[item & '-1', item & '-2']", batchSize: 2 } },
        { id: 'change', kind: 'shell', parent: 'hosts', config: { command: ['echo', '{{ item }}'] }, rollback: undo('change') },
        { id: 'breaks', kind: 'shell', retry: { maximumAttempts: 1 }, config: { command: ['sh', '-c', 'exit 7'] } },
      ],
      edges: [
        { from: 'open', to: 'hosts' },
        { from: 'sites', to: 'breaks' },
      ],
    });
    const handle = await start({ runbook, planHash, params: {} });
    await expect(handle.result()).rejects.toThrow();
    const state = await handle.query<RunState>(runProtocol.queries.state);
    expect(state.nodes.sites!.progress!.items).toEqual({ east: 'rolled-back' });
    expect(await recordHistory(handle, 'for-each-nested-rollback')).toMatch(/for-each-nested-rollback\.json$/);
  });

  it('patched: sub-runbook-search-attributes — the child run is listed as a run of its own runbook', async () => {
    const child = testRunbook({ id: 'say', title: 'Say', nodes: [{ id: 'echo', kind: 'shell', config: { command: ['echo', 'hello'] } }] });
    const { runbook, planHash } = testRunbook({ nodes: [{ id: 'call', kind: 'subRunbook', config: { runbook: 'say' } }] });
    const key = (name: string) => defineSearchAttributeKey(name, SearchAttributeType.KEYWORD);
    const handle = await env.client.workflow.start(runProtocol.workflowType, {
      taskQueue: worker.taskQueue,
      workflowId: `replay-sub-runbook-search-attributes-${randomUUID().slice(0, 8)}`,
      args: [{ trigger: { type: 'manual', by: 'alice' }, runbook, planHash, params: {}, subRunbooks: { say: child } } satisfies RunInput],
      typedSearchAttributes: [
        { key: key(searchAttributes.runbookId.name), value: runbook.id },
        { key: key(searchAttributes.trigger.name), value: 'manual' },
        { key: key(searchAttributes.planHash.name), value: planHash },
      ],
    });
    expect(((await handle.result()) as RunState).status).toBe('succeeded');
    const described = await env.client.workflow.getHandle(`${handle.workflowId}/call`).describe();
    expect(described.typedSearchAttributes.get(key(searchAttributes.runbookId.name))).toBe('say');
    expect(await recordHistory(handle, 'sub-runbook-search-attributes')).toMatch(/sub-runbook-search-attributes\.json$/);
  });

  // Recorded by the interpreter as it was before `foreach-batch-gates` (the canary's gate now runs
  // through the same code as the per-batch gates, and must issue the same commands as it did).
  it('a forEach canary soaked and signed off before the rest', async () => {
    const { runbook, planHash } = testRunbook({
      parameters: { hosts: { type: 'list', default: ['web-1', 'web-2'] } },
      nodes: [
        {
          id: 'each',
          kind: 'forEach',
          config: {
            items: 'params.hosts',
            canary: {
              size: 1,
              observe: { duration: '600ms', interval: '200ms', guards: [{ name: 'alive', check: { kind: 'http', config: { url: `${health.url}/healthz` } } }] },
              checkpoint: { title: 'Canary fine?' },
            },
          },
        },
        { id: 'touch', kind: 'shell', parent: 'each', config: { command: ['echo', '{{ item }}'] } },
      ],
    });
    const handle = await start({ runbook, planHash, params: {} });
    await waitForPending(handle, 1);
    await decideItem(handle, planHash, { nodeId: 'each.canary' });
    expect(((await handle.result()) as RunState).nodes.each!.progress!.items).toEqual({ 'web-1': 'succeeded', 'web-2': 'succeeded' });
    expect(await recordHistory(handle, 'for-each-canary')).toMatch(/for-each-canary\.json$/);
  });

  it('patched: foreach-batch-gates — a soak and a sign-off after each batch, the sign-off not after the last', async () => {
    const { runbook, planHash } = testRunbook({
      parameters: { hosts: { type: 'list', default: ['web-1', 'web-2'] } },
      nodes: [
        {
          id: 'each',
          kind: 'forEach',
          config: {
            items: 'params.hosts',
            afterEachBatch: {
              observe: { duration: '600ms', interval: '200ms', guards: [{ name: 'alive', check: { kind: 'http', config: { url: `${health.url}/healthz` } } }] },
              checkpoint: { title: 'Next batch?' },
            },
          },
        },
        { id: 'touch', kind: 'shell', parent: 'each', config: { command: ['echo', '{{ item }}'] } },
      ],
    });
    const handle = await start({ runbook, planHash, params: {} });
    await waitForPending(handle, 1);
    await decideItem(handle, planHash, { nodeId: 'each.batch-1' });
    const state = (await handle.result()) as RunState;
    expect(state.nodes.each!.progress!.gates!.map((g) => [g.id, g.status])).toEqual([
      ['each.batch-1', 'passed'],
      ['each.batch-2', 'passed'],
    ]);
    expect(await recordHistory(handle, 'for-each-batch-gates')).toMatch(/for-each-batch-gates\.json$/);
  });

  it('a sub-runbook run as a child workflow', async () => {
    const child = testRunbook({
      id: 'say',
      title: 'Say',
      parameters: { word: { type: 'string' } },
      nodes: [{ id: 'echo', kind: 'shell', config: { command: ['echo', '{{ params.word }}'] } }],
    });
    const { runbook, planHash } = testRunbook({
      nodes: [{ id: 'call', kind: 'subRunbook', config: { runbook: 'say', params: { word: 'hello' } } }],
    });
    const handle = await start({ runbook, planHash, params: {}, subRunbooks: { say: child } });
    expect(((await handle.result()) as RunState).status).toBe('succeeded');
    expect(await recordHistory(handle, 'sub-runbook-parent')).toMatch(/sub-runbook-parent\.json$/);
    expect(await recordHistory(env.client.workflow.getHandle(`${handle.workflowId}/call`), 'sub-runbook-child')).toMatch(/sub-runbook-child\.json$/);
  });
});
