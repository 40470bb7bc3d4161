import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRecordSchema, loadRunbook, runSummarySchema, type RunSummary } from '@runwright/runbook';
import { startApiStack, type ApiStack } from '../support/api-stack.js';
import { eventually } from '../support/eventually.js';

// One shell step that creates a file: the real run leaves it behind, the dry run must not.
const touch = `# Creates the file it is given; the smallest runbook whose side effect a test can see.
id: touch-file
title: Touch a file
parameters:
  target:
    type: string
nodes:
  - id: touch
    kind: shell
    config:
      command: ["touch", "{{ params.target }}"]
edges: []
`;

let stack: ApiStack;
// Beside the runbooks, in the folder the stack removes at the end.
let dryTarget = '';
let realTarget = '';
let dryRunId = '';
let realRunId = '';


const list = async (query: string): Promise<RunSummary[]> => {
  const { status, body } = await stack.api.call('GET', `/api/runs${query}`, undefined, stack.api.tokens.viewer);
  expect(status, JSON.stringify(body)).toBe(200);
  return body.runs.map((r: unknown) => runSummarySchema.parse(r));
};
const mine = (summaries: RunSummary[]) => summaries.filter((r) => r.runId === dryRunId || r.runId === realRunId);

beforeAll(async () => {
  expect(loadRunbook(touch).ok).toBe(true);
  stack = await startApiStack({ runbooks: { files: { 'touch-file.yaml': touch } } });
  dryTarget = join(stack.folder, 'touched-by-dry-run');
  realTarget = join(stack.folder, 'touched-by-real-run');
  const dry = await stack.api.call('POST', '/api/runbooks/touch-file/runs', { params: { target: dryTarget }, dryRun: true }, stack.api.tokens.operator);
  expect(dry.status, JSON.stringify(dry.body)).toBe(201);
  dryRunId = dry.body.runId;
  const real = await stack.api.call('POST', '/api/runbooks/touch-file/runs', { params: { target: realTarget } }, stack.api.tokens.operator);
  expect(real.status, JSON.stringify(real.body)).toBe(201);
  realRunId = real.body.runId;
});

afterAll(() => stack?.stop());

describe('dry runs, as the runs list shows them', () => {
  it('says which run is a dry run, and the dry run touches no file', async () => {
    const both = await eventually(
      () => list('?runbookId=touch-file&status=Completed'),
      (runs) => mine(runs).length === 2,
    );
    expect(both.find((r) => r.runId === dryRunId)).toMatchObject({ runbookId: 'touch-file', trigger: 'manual', dryRun: true });
    expect(both.find((r) => r.runId === realRunId)).toMatchObject({ runbookId: 'touch-file', trigger: 'manual', dryRun: false });
    expect(existsSync(realTarget)).toBe(true);
    expect(existsSync(dryTarget)).toBe(false);
    // The live state says so too, and the action recorded what it would have run.
    const dryView = await stack.api.call('GET', `/api/runs/${encodeURIComponent(dryRunId)}`, undefined, stack.api.tokens.viewer);
    expect(dryView.body.state).toMatchObject({ dryRun: true, status: 'succeeded' });
    expect(JSON.stringify(dryView.body.state.nodes.touch)).toContain(dryTarget);
  });

  it('filters on dryRun=true and dryRun=false, and refuses anything else', async () => {
    expect(mine(await list('?runbookId=touch-file&dryRun=true')).map((r) => r.runId)).toEqual([dryRunId]);
    expect(mine(await list('?runbookId=touch-file&dryRun=false')).map((r) => r.runId)).toEqual([realRunId]);
    // Runs from other files on this server: every dry one is tagged, and the filters split them cleanly.
    const all = await list('?limit=500');
    const dryIds = new Set((await list('?dryRun=true&limit=500')).map((r) => r.runId));
    expect([...dryIds].every((id) => all.find((r) => r.runId === id)?.dryRun !== false)).toBe(true);
    expect((await list('?dryRun=false&limit=500')).some((r) => dryIds.has(r.runId))).toBe(false);
    const bad = await stack.api.call('GET', '/api/runs?dryRun=maybe', undefined, stack.api.tokens.viewer);
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { path: string }) => d.path)).toEqual(['query.dryRun']);
  });

  it('records in the audit log which start was a dry run', async () => {
    const { body } = await stack.api.call('GET', '/api/audit?limit=50');
    const starts = body.records.map((r: unknown) => auditRecordSchema.parse(r)).filter((r: { action: string }) => r.action === 'startRun');
    expect(starts.map((r: { details?: Record<string, string> }) => r.details?.dryRun ?? 'absent')).toEqual(['absent', 'true']);
  });
});
