import type { Runbook } from '../document/runbook.js';
import type { CheckpointDecision, RunState } from './run-state.js';

/**
 * The contract between the interpreter and everyone who talks to runs. The API and the editor
 * use these names and types without importing worker code, so a worker can be deployed alone.
 */
export const runProtocol = {
  workflowType: 'runbookInterpreter',
  queries: { state: 'runState' },
  updates: { decideCheckpoint: 'decideCheckpoint' },
  signals: { alertResolved: 'alertResolved' },
} as const;

/** Custom search attributes registered on the namespace, so runs are listed through visibility. */
export const searchAttributes = {
  runbookId: { name: 'RunwrightRunbookId', type: 'Keyword' },
  trigger: { name: 'RunwrightTrigger', type: 'Keyword' },
  planHash: { name: 'RunwrightPlanHash', type: 'Keyword' },
} as const;

export type Trigger = { type: 'manual'; by: string };

export interface RunInput {
  runbook: Runbook;
  planHash: string;
  params: Record<string, unknown>;
  trigger: Trigger;
}

export interface DecideCheckpointInput {
  nodeId: string;
  decision: 'approve' | 'reject';
  /** Bound to the plan the decider looked at: a decision for another version is refused. */
  planHash: string;
  decider: { user: string; roles: string[] };
  comment?: string;
  checklist?: Record<string, unknown>;
}

export type DecideCheckpointResult = { accepted: true; outcome: 'pending' | 'approved' | 'rejected'; decision: CheckpointDecision };

export type RunResult = RunState;

/** Workflow ids start with this, so they are recognisable in the Temporal UI. */
export function manualRunWorkflowId(runbookId: string, unique: string): string {
  return `run-${runbookId}-${unique}`;
}
