import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startApiStack, type ApiStack } from '../support/api-stack.js';
import { pollRun } from '../support/run-polling.js';

let stack: ApiStack;

const once = { maximumAttempts: 1 };
const shell = (id: string, command: string[], extra: Record<string, unknown> = {}) => ({ id, kind: 'shell', config: { command }, ...extra });

/**
 * `change` appends to a log and has a rollback that appends too; `flaky` fails the first time
 * (until its marker file exists) and asks a person what to do; `after` follows it.
 */
function writeRunbook(id: string): { log: string; marker: string } {
  const log = join(stack.folder, `${id}.log`);
  const marker = join(stack.folder, `${id}.marker`);
  writeFileSync(
    join(stack.folder, `${id}.yaml`),
    stringify({
      id,
      title: `Operator actions: ${id}`,
      nodes: [
        {
          id: 'change',
          kind: 'shell',
          config: { command: ['sh', '-c', 'echo change >> "$LOG"'], env: { LOG: log } },
          rollback: { kind: 'shell', config: { command: ['sh', '-c', 'echo undo-change >> "$LOG"'], env: { LOG: log } } },
        },
        {
          id: 'flaky',
          kind: 'shell',
          config: { command: ['sh', '-c', 'if [ -f "$M" ]; then echo recovered; else touch "$M"; echo down >&2; exit 1; fi'], env: { M: marker } },
          retry: once,
          onFailure: 'ask',
        },
        shell('after', ['true']),
      ],
      edges: [
        { from: 'change', to: 'flaky' },
        { from: 'flaky', to: 'after' },
      ],
    }),
  );
  return { log, marker };
}

const lines = (file: string) => {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
};

beforeAll(async () => {
  stack = await startApiStack({ runbooks: {} });
});

afterAll(() => stack?.stop());

/** Starts the runbook and waits for the failure checkpoint on `flaky`. */
async function startAndWaitForFailure(id: string) {
  const files = writeRunbook(id);
  const started = await stack.api.call('POST', `/api/runbooks/${id}/runs`, { params: {} }, stack.api.tokens.operator);
  expect(started.status).toBe(201);
  const waiting = await pollRun(stack.api, started.body.runId, (r) => r.state.pendingCheckpoints.length > 0, { as: 'viewer' });
  expect(waiting.state.pendingCheckpoints[0]).toMatchObject({ nodeId: 'flaky', kind: 'failure', actions: ['retry', 'skip', 'rollback', 'abort'], failure: { message: expect.any(String) } });
  return { ...files, runId: started.body.runId as string, planHash: started.body.planHash as string };
}

const decide = (runId: string, body: Record<string, unknown>, token: string) => stack.api.call('POST', `/api/runs/${runId}/checkpoints/flaky/decision`, body, token);

async function auditOf(runId: string) {
  const { body } = await stack.api.call('GET', '/api/audit?action=decideCheckpoint&limit=1000');
  return body.records.filter((r: { target: { runId?: string } }) => r.target.runId === runId);
}

describe('operator actions on a failed node (onFailure: ask) through the API', () => {
  it('retry: refused to a viewer and an operator, taken from an approver, audited; the node runs again and the run completes', async () => {
    const { runId, planHash } = await startAndWaitForFailure('ask-retry');
    const asViewer = await decide(runId, { decision: 'approve', planHash, action: 'retry' }, stack.api.tokens.viewer);
    expect(asViewer.status).toBe(403);
    expect(asViewer.body.error).toBe('forbidden');
    expect((await decide(runId, { decision: 'approve', planHash, action: 'retry' }, stack.api.tokens.operator)).status).toBe(403);
    // An action nobody offered, and no action at all, are refused before anything reaches the run.
    expect((await decide(runId, { decision: 'approve', planHash, action: 'reboot' }, stack.api.tokens.approver)).body.details[0].path).toBe('body.action');
    const noAction = await decide(runId, { decision: 'approve', planHash }, stack.api.tokens.approver);
    expect(noAction.status).toBe(400);
    expect(noAction.body.message).toMatch(/retry, skip, rollback, abort/);

    const taken = await decide(runId, { decision: 'approve', planHash, action: 'retry', comment: 'dependency back' }, stack.api.tokens.approver);
    expect(taken.status).toBe(200);
    expect(taken.body).toMatchObject({ outcome: 'approved', action: 'retry', decision: { by: 'approver' } });
    const done = await pollRun(stack.api, runId, (r) => r.temporalStatus !== 'RUNNING', { as: 'viewer' });
    expect(done.state.status).toBe('succeeded');
    expect(done.state.nodes.flaky).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(done.state.nodes.after!.status).toBe('succeeded');

    const records = await auditOf(runId);
    expect(records.map((r: { actor: { user: string }; outcome: string; details?: unknown }) => [r.actor.user, r.outcome, r.details])).toEqual([
      ['approver', 'ok', { decision: 'approve', action: 'retry', comment: 'dependency back' }],
      ['approver', 'failed', { decision: 'approve' }],
      ['approver', 'failed', { decision: 'approve', action: 'reboot' }],
      ['operator', 'denied', { decision: 'approve', action: 'retry' }],
      ['viewer', 'denied', { decision: 'approve', action: 'retry' }],
    ]);
  });

  it('skip: the node is skipped and its successor runs', async () => {
    const { runId, planHash } = await startAndWaitForFailure('ask-skip');
    expect((await decide(runId, { decision: 'approve', planHash, action: 'skip' }, stack.api.tokens.approver)).status).toBe(200);
    const done = await pollRun(stack.api, runId, (r) => r.temporalStatus !== 'RUNNING', { as: 'viewer' });
    expect(done.state.status).toBe('succeeded');
    expect(done.state.nodes.flaky!.status).toBe('skipped');
    expect(done.state.nodes.after!.status).toBe('succeeded');
  });

  it('rollback: what completed is rolled back and the run fails', async () => {
    const { runId, planHash, log } = await startAndWaitForFailure('ask-rollback');
    expect((await decide(runId, { decision: 'approve', planHash, action: 'rollback' }, stack.api.tokens.admin)).status).toBe(200);
    const done = await pollRun(stack.api, runId, (r) => r.temporalStatus !== 'RUNNING', { as: 'viewer' });
    expect(done.temporalStatus).toBe('FAILED');
    expect(done.state.nodes.change!.status).toBe('rolled-back');
    expect(done.state.nodes.after!.status).toBe('skipped');
    expect(lines(log)).toEqual(['change', 'undo-change']);
  });

  it('abort: the run fails without running the rest or rolling back', async () => {
    const { runId, planHash, log } = await startAndWaitForFailure('ask-abort');
    expect((await decide(runId, { decision: 'approve', planHash, action: 'abort' }, stack.api.tokens.approver)).status).toBe(200);
    const done = await pollRun(stack.api, runId, (r) => r.temporalStatus !== 'RUNNING', { as: 'viewer' });
    expect(done.temporalStatus).toBe('FAILED');
    expect(done.state.status).toBe('failed');
    expect(done.state.nodes.after!.status).toBe('skipped');
    expect(done.state.nodes.change!.status).toBe('succeeded');
    expect(lines(log)).toEqual(['change']);
    // Decided once: a second decision is a conflict.
    expect((await decide(runId, { decision: 'approve', planHash, action: 'retry' }, stack.api.tokens.approver)).status).toBe(409);
  });
});
