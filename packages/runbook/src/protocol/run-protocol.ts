import type { Runbook } from '../document/runbook.js';
import type { ScheduleOverrideNote } from '../document/schedule-override.js';
import type { CheckpointDecision, FailureAction, RunState } from './run-state.js';

/**
 * The contract between the interpreter and everyone who talks to runs. The API and the editor
 * use these names and types without importing worker code, so a worker can be deployed alone.
 */
export const runProtocol = {
  workflowType: 'runbookInterpreter',
  /** `batchState`: a forEach batch child's live per-item state (its id is in the forEach node's `progress.currentBatch`). */
  queries: { state: 'runState', batchState: 'forEachBatchState' },
  updates: { decideCheckpoint: 'decideCheckpoint' },
  /** `alertHeldBack`: the API tells a run that an alert for its concurrency key was refused because the run holds it. */
  signals: { alertResolved: 'alertResolved', alertHeldBack: 'alertHeldBack' },
  /** The per-key lock runs with a `concurrency` key share; one lock workflow per key. */
  concurrencyLock: {
    workflowType: 'concurrencyLock',
    signals: { acquire: 'acquireConcurrencyKey', release: 'releaseConcurrencyKey', granted: 'concurrencyKeyGranted' },
    /** The run holding the key now (undefined when none): the API asks before starting a run that would be refused. */
    queries: { holder: 'concurrencyKeyHolder' },
  },
} as const;

/** Custom search attributes registered on the namespace, so runs are listed through visibility. */
export const searchAttributes = {
  runbookId: { name: 'RunwrightRunbookId', type: 'Keyword' },
  trigger: { name: 'RunwrightTrigger', type: 'Keyword' },
  planHash: { name: 'RunwrightPlanHash', type: 'Keyword' },
  /** Set on every run the API starts; runs from before it existed have none and count as real. */
  dryRun: { name: 'RunwrightDryRun', type: 'Bool' },
} as const;

/** The alert a run was started for, as the run (and its `alert` expressions) sees it. Untrusted data. */
export interface AlertContext {
  fingerprint: string;
  status: 'firing' | 'resolved';
  startsAt: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  generatorURL: string;
}

/** How a run was started; `by` is who (or which sender) started it, for four-eyes and the audit log. */
export type Trigger =
  | { type: 'manual'; by: string }
  | { type: 'alert'; by: string; route: string; alert: AlertContext }
  | { type: 'webhook'; by: string; route: string; deliveryId: string; payload: unknown }
  /** `override`: the schedule ran with an installation's override (staging parameters, a drill cadence). */
  | { type: 'schedule'; by: string; scheduleId: string; override?: ScheduleOverrideNote };

export interface RunInput {
  runbook: Runbook;
  planHash: string;
  params: Record<string, unknown>;
  trigger: Trigger;
  /**
   * Definitions of the runbooks this one's `subRunbook` nodes start, by runbook id, resolved by
   * whoever starts the run (workflows cannot read files). Each runs as a child workflow.
   */
  subRunbooks?: Record<string, { runbook: Runbook; planHash: string }>;
  /**
   * Resume a failed run from a chosen node: a new run, linked to the old one, in which the old
   * run's completed nodes (except `fromNode` and everything downstream of it) keep their outputs
   * and do not run again. The runbook may be the same version or a corrected one.
   */
  resume?: { fromWorkflowId: string; fromNode: string; completed: Record<string, { output?: unknown }> };
  /** Rehearsal: action nodes are not run; each records what it would have done (command, URL…). */
  dryRun?: boolean;
}

/** The `alertResolved` signal's payload: the alert that started the run has resolved. */
export interface AlertResolvedSignal {
  /** When the alert source says it resolved (ISO time). */
  resolvedAt?: string;
  fingerprint?: string;
}

/**
 * The `alertHeldBack` signal's payload: an alert the API did not start a run for, because this
 * run holds the runbook's concurrency key (`onConflict: refuse`). Labels are untrusted and capped.
 */
export interface AlertHeldBackSignal {
  at: string;
  route: string;
  fingerprint: string;
  startsAt: string;
  labels: Record<string, string>;
  reason: string;
}

export interface DecideCheckpointInput {
  nodeId: string;
  decision: 'approve' | 'reject';
  /** Bound to the plan the decider looked at: a decision for another version is refused. */
  planHash: string;
  decider: { user: string; roles: string[] };
  comment?: string;
  checklist?: Record<string, unknown>;
  /** Required at a failure checkpoint (`kind: 'failure'`): what to do about the failed node. */
  action?: FailureAction;
  /**
   * A checkpoint inside a forEach item: the item's key. It may be left out while only one item
   * waits at `nodeId`; with several waiting the decision must name one.
   */
  itemKey?: string;
}

export type DecideCheckpointResult = {
  accepted: true;
  /** A failure checkpoint answers `approved` with the `action` it took. */
  outcome: 'pending' | 'approved' | 'rejected';
  decision: CheckpointDecision;
  action?: FailureAction;
};

export type RunResult = RunState;

/** The lock workflow of one concurrency key; the key is in the id, so every run finds the same one. */
export function concurrencyLockWorkflowId(runbookId: string, key: string): string {
  return `lock-${runbookId}-${key}`;
}

/** Workflow ids start with this, so they are recognisable in the Temporal UI. */
export function manualRunWorkflowId(runbookId: string, unique: string): string {
  return `run-${runbookId}-${unique}`;
}

/**
 * One run per (runbook, route, alert fingerprint, startsAt): repeats, retries after a 5xx and
 * HA duplicates compute the same id and join the run instead of starting another.
 */
export function alertRunWorkflowId(runbookId: string, route: string, identity: string): string {
  return `alert-${runbookId}-${route}-${identity}`;
}
