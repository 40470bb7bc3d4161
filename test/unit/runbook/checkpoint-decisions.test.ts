import { describe, expect, it } from 'vitest';
import { decisionProblems, pendingCheckpointSchema, type DecideCheckpointInput, type PendingCheckpoint } from '@runwright/runbook';

const pending: PendingCheckpoint = pendingCheckpointSchema.parse({
  nodeId: 'gate',
  title: 'Gate',
  instructions: '',
  checklist: [
    { id: 'backup-checked', label: 'Backup checked', type: 'tick', required: true },
    { id: 'lag', label: 'Replica lag (s)', type: 'number', required: true },
    { id: 'note', label: 'Note', type: 'text', required: false },
    { id: 'safe', label: 'Safe', type: 'boolean', required: false },
  ],
  approvers: { roles: ['dba'], users: ['carol'] },
  quorum: 2,
  fourEyes: true,
  since: '2026-01-01T00:00:00.000Z',
  approvals: [{ decision: 'approve', by: 'dave', at: '2026-01-01T00:01:00.000Z', comment: '', checklist: {} }],
});
const context = { startedBy: 'alice', planHash: 'sha256:plan' };
const good: DecideCheckpointInput = {
  nodeId: 'gate',
  decision: 'approve',
  planHash: 'sha256:plan',
  decider: { user: 'erin', roles: ['dba'] },
  checklist: { 'backup-checked': true, lag: 3 },
};
const codesFor = (change: Partial<DecideCheckpointInput>) =>
  decisionProblems(pending, { ...good, ...change }, context).map((p) => p.code);

describe('decisionProblems', () => {
  it('accepts an allowed decider by role or by name with a complete checklist', () => {
    expect(codesFor({})).toEqual([]);
    expect(codesFor({ decider: { user: 'carol', roles: [] } })).toEqual([]);
  });

  it('gives every code for the rule it breaks', () => {
    expect(decisionProblems(undefined, good, context).map((p) => p.code)).toEqual(['not_pending']);
    expect(codesFor({ planHash: 'sha256:other' })).toEqual(['plan_mismatch']);
    expect(codesFor({ decider: { user: 'eve', roles: ['viewer'] } })).toEqual(['not_allowed']);
    expect(codesFor({ decider: { user: 'alice', roles: ['dba'] } })).toEqual(['four_eyes']);
    expect(codesFor({ decider: { user: 'dave', roles: ['dba'] } })).toEqual(['already_decided']);
    expect(codesFor({ checklist: { 'backup-checked': false, lag: 3 } })).toEqual(['checklist']);
  });

  it('validates checklist answers by type, and requires them only to approve', () => {
    const messages = decisionProblems(pending, { ...good, checklist: { 'backup-checked': 'yes', lag: 'high', note: 4, safe: 'no', extra: 1 } }, context).map(
      (p) => p.message,
    );
    expect(messages).toEqual([
      'checklist has no item "extra"',
      'checklist item "backup-checked" must be ticked (true) or not (false)',
      'checklist item "lag" must be a number',
      'checklist item "note" must be text',
      'checklist item "safe" must be true or false',
    ]);
    expect(codesFor({ checklist: {} })).toEqual(['checklist', 'checklist']);
    expect(codesFor({ decision: 'reject', checklist: {} })).toEqual([]);
  });

  it('reports every broken rule at once', () => {
    expect(codesFor({ planHash: 'x', decider: { user: 'alice', roles: [] }, checklist: {} })).toEqual([
      'plan_mismatch',
      'not_allowed',
      'four_eyes',
      'checklist',
      'checklist',
    ]);
  });
});
