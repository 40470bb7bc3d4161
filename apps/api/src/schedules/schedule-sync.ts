import { createHash } from 'node:crypto';
import { isGrpcServiceError, ScheduleAlreadyRunning, ScheduleNotFoundError, ServiceError, type Client } from '@temporalio/client';
import {
  durationToMs,
  effectiveSchedule,
  overrideNote,
  parseScheduleId,
  runProtocol,
  scheduleIdOf,
  type AppliedScheduleOverride,
  type EffectiveSchedule,
  type RunInput,
  type Runbook,
  type RunbookSchedule,
} from '@runwright/runbook';
import type { AppContext } from '../app-context.js';
import { ApiError } from '../http/api-error.js';
import type { RunbookStore } from '../runbooks/runbook-store.js';
import { resolveSubRunbooks, type SubRunbooks } from '../runbooks/sub-runbooks.js';
import { searchKeys } from '../temporal/search-keys.js';
import { auditOverrideChange, pauseAfterUpdate, pauseNote } from './override-changes.js';
import { scheduleMemo, type ScheduleMemo } from './schedule-memo.js';

const prefix = 'runwright:';

const overlapPolicies = {
  skip: 'SKIP',
  bufferOne: 'BUFFER_ONE',
  bufferAll: 'BUFFER_ALL',
  cancelOther: 'CANCEL_OTHER',
  terminateOther: 'TERMINATE_OTHER',
  allowAll: 'ALLOW_ALL',
} as const;

interface Desired {
  scheduleId: string;
  runbook: Runbook;
  schedule: RunbookSchedule;
  effective: EffectiveSchedule;
  override: AppliedScheduleOverride | undefined;
  /** The runbook schedule's own parameters with the defaults filled in, so a listing shows what an override replaced. */
  ownParams: Record<string, unknown>;
  input: RunInput;
  /** Covers everything the schedule is made of; a different hash means the file or the override changed. */
  hash: string;
}

export interface SyncProblem {
  scheduleId: string;
  message: string;
  /** Relative to the runbook's schedule (`params.target`, `cron`) or to its override (`override.params.target`). */
  path?: string;
}

export interface SyncReport {
  created: string[];
  updated: string[];
  deleted: string[];
  problems: SyncProblem[];
}

export type SyncContext = Pick<AppContext, 'temporal' | 'settings' | 'runbooks' | 'scheduleOverrides' | 'audit'>;

async function desiredSchedules(runbooks: RunbookStore, overrides: Map<string, AppliedScheduleOverride>) {
  const desired: Desired[] = [];
  const problems: SyncProblem[] = [];
  const invalidRunbooks = new Set<string>();
  const declared = new Set<string>();
  for (const stored of await runbooks.list()) {
    if (!stored.result.ok) {
      invalidRunbooks.add(stored.id);
      continue;
    }
    const { runbook, planHash } = stored.result;
    if (runbook.triggers.schedules.length === 0) continue;
    let subRunbooks: SubRunbooks | undefined;
    try {
      subRunbooks = await resolveSubRunbooks(runbooks, runbook);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      // Kept as they are, like the schedules of a runbook with problems, until the children are fixed.
      invalidRunbooks.add(stored.id);
      for (const schedule of runbook.triggers.schedules) problems.push({ scheduleId: scheduleIdOf(runbook.id, schedule.name), message: error.message });
      continue;
    }
    for (const schedule of runbook.triggers.schedules) {
      const scheduleId = scheduleIdOf(runbook.id, schedule.name);
      declared.add(scheduleId);
      const override = overrides.get(scheduleId);
      const applied = effectiveSchedule(schedule, runbook.parameters, override);
      if (!applied.ok) {
        // Kept as Temporal has it: a bad override never falls back to running the runbook's own spec unasked.
        for (const problem of applied.problems) problems.push({ scheduleId, path: problem.path, message: `${problem.path}: ${problem.message}` });
        continue;
      }
      const effective = applied.schedule;
      const input: RunInput = {
        runbook,
        planHash,
        ...(subRunbooks && { subRunbooks }),
        params: effective.params,
        trigger: { type: 'schedule', by: `schedule:${schedule.name}`, scheduleId, ...(override && { override: overrideNote(override) }) },
      };
      // A child runbook's new version changes what the schedule starts, so it updates the schedule too.
      const children = Object.fromEntries(Object.entries(subRunbooks ?? {}).map(([id, child]) => [id, child.planHash]));
      const hash = createHash('sha256')
        .update(JSON.stringify({ planHash, schedule, effective, ...(override && { override }), ...(subRunbooks && { children }) }))
        .digest('hex');
      const own = override ? effectiveSchedule(schedule, runbook.parameters) : applied;
      const ownParams = own.ok ? own.schedule.params : schedule.params;
      desired.push({ scheduleId, runbook, schedule, effective, override, ownParams, input, hash });
    }
  }
  const orphans: SyncProblem[] = [...overrides.entries()]
    .filter(([scheduleId]) => !declared.has(scheduleId) && !invalidRunbooks.has(parseScheduleId(scheduleId)?.runbookId ?? ''))
    .map(([scheduleId, override]) => ({ scheduleId, path: 'override', message: `overridden (${override.source === 'api' ? `through the API by ${override.by}` : override.by}) but no runbook declares this schedule` }));
  return { desired, problems, orphans, invalidRunbooks };
}

function scheduleOptions(desired: Desired, taskQueue: string) {
  const { effective, schedule, override } = desired;
  const memo: ScheduleMemo = {
    runwrightHash: desired.hash,
    // Temporal keeps cron only in compiled form; the memo keeps it as written, with the runbook's own next to it.
    ...(effective.cron !== undefined && { cron: effective.cron }),
    ...(effective.every !== undefined && { every: effective.every }),
    own: { cron: schedule.cron, timezone: schedule.timezone, params: desired.ownParams, paused: schedule.paused },
    ...(override && { override }),
  };
  return {
    spec: {
      ...(effective.cron !== undefined ? { cronExpressions: [effective.cron] } : { intervals: [{ every: durationToMs(effective.every!) }] }),
      timezone: effective.timezone,
    },
    action: {
      type: 'startWorkflow' as const,
      workflowType: runProtocol.workflowType,
      workflowId: `schedule-${desired.runbook.id}-${schedule.name}`,
      taskQueue,
      args: [desired.input],
      memo: memo as unknown as Record<string, unknown>,
      typedSearchAttributes: [
        { key: searchKeys.runbookId, value: desired.runbook.id },
        { key: searchKeys.trigger, value: 'schedule' },
        { key: searchKeys.planHash, value: desired.input.planHash },
      ],
    },
    policies: { overlap: overlapPolicies[schedule.overlap], catchupWindow: durationToMs(schedule.catchupWindow) },
  };
}

/** Temporal refuses a spec it cannot parse; that is a problem of this one schedule, not of the sync. */
function refusal(error: unknown): string | undefined {
  if (error instanceof TypeError) return error.message;
  if (error instanceof ServiceError && isGrpcServiceError(error.cause) && error.cause.code === 3) return error.cause.details;
  return undefined;
}

function refusedPath(want: Desired): string {
  if (want.override?.cron !== undefined) return 'override.cron';
  if (want.override?.every !== undefined) return 'override.every';
  if (want.override?.timezone !== undefined) return 'override.timezone';
  return 'cron';
}

async function syncNow(context: SyncContext): Promise<SyncReport> {
  const { client } = context.temporal;
  const taskQueue = context.settings.RUNWRIGHT_TASK_QUEUE;
  const { desired, problems, orphans, invalidRunbooks } = await desiredSchedules(context.runbooks, await context.scheduleOverrides.applied());
  const report: SyncReport = { created: [], updated: [], deleted: [], problems };
  const existing = new Set<string>();
  for await (const summary of client.schedule.list()) {
    if (!summary.scheduleId.startsWith(prefix)) continue;
    // This API manages the schedules of its own task queue; another deployment's are not ours to delete.
    const action = (await client.schedule.getHandle(summary.scheduleId).describe()).action as { taskQueue?: string };
    if (action.taskQueue === taskQueue) existing.add(summary.scheduleId);
  }
  for (const want of desired) {
    const options = scheduleOptions(want, taskQueue);
    try {
      if (!existing.has(want.scheduleId)) {
        const paused = want.effective.paused;
        const note = !paused ? '' : want.override?.paused ? pauseNote(true, want.override) : 'paused in the runbook file';
        await client.schedule.create({ scheduleId: want.scheduleId, ...options, state: { paused, note } });
        report.created.push(want.scheduleId);
        await auditOverrideChange(context.audit, want.scheduleId, undefined, want.override);
        continue;
      }
      const handle = client.schedule.getHandle(want.scheduleId);
      const before = scheduleMemo(await handle.describe());
      if (before.runwrightHash === want.hash) continue;
      await handle.update((previous) => ({ ...previous, ...options, state: pauseAfterUpdate(want.override, want.schedule.paused, before.override, previous.state) }));
      report.updated.push(want.scheduleId);
      await auditOverrideChange(context.audit, want.scheduleId, before.override, want.override);
    } catch (error) {
      if (error instanceof ScheduleAlreadyRunning) {
        problems.push({ scheduleId: want.scheduleId, message: 'another deployment (another task queue) in this Temporal namespace has a schedule with this id' });
        continue;
      }
      const message = refusal(error);
      if (message === undefined) throw error;
      const path = refusedPath(want);
      problems.push({ scheduleId: want.scheduleId, path, message: `${path}: Temporal refused the schedule: ${message}` });
    }
  }
  const kept = new Set([...desired.map((d) => d.scheduleId), ...problems.map((p) => p.scheduleId)]);
  for (const scheduleId of existing) {
    const owner = parseScheduleId(scheduleId)?.runbookId;
    if (kept.has(scheduleId) || (owner && invalidRunbooks.has(owner))) continue;
    try {
      await client.schedule.getHandle(scheduleId).delete();
    } catch (error) {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
    }
    report.deleted.push(scheduleId);
  }
  problems.push(...orphans);
  return report;
}

// One sync at a time per Temporal client: the periodic sync and one an override or an edit asks
// for would otherwise both see a schedule missing and both create it.
const running = new WeakMap<Client, Promise<unknown>>();

/**
 * Brings Temporal's schedules in step with the runbook files and this installation's overrides:
 * creates the missing, updates the changed (the pause state stays as operators left it, unless an
 * override sets it), deletes those whose runbook or schedule is gone. A runbook that does not
 * validate, or a schedule whose override does not, keeps its Temporal Schedule untouched until fixed.
 */
export function syncSchedules(context: SyncContext): Promise<SyncReport> {
  const client = context.temporal.client;
  const next = (running.get(client) ?? Promise.resolve()).then(() => syncNow(context));
  running.set(client, next.catch(() => undefined));
  return next;
}
