import { createHash } from 'node:crypto';
import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import {
  durationToMs,
  parametersSchemaFor,
  runProtocol,
  type RunInput,
  type Runbook,
  type RunbookSchedule,
  type Settings,
} from '@runwright/runbook';
import { ApiError } from '../http/api-error.js';
import type { RunbookStore } from '../runbooks/runbook-store.js';
import { resolveSubRunbooks, type SubRunbooks } from '../runbooks/sub-runbooks.js';
import { searchKeys } from '../temporal/search-keys.js';

const prefix = 'runwright:';

export function scheduleIdOf(runbookId: string, name: string): string {
  return `${prefix}${runbookId}:${name}`;
}

export function parseScheduleId(scheduleId: string): { runbookId: string; name: string } | undefined {
  const match = /^runwright:([a-z0-9][a-z0-9-]*):([a-z0-9][a-z0-9-]*)$/.exec(scheduleId);
  return match ? { runbookId: match[1]!, name: match[2]! } : undefined;
}

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
  input: RunInput;
  /** Covers everything the schedule is made of; a different hash means the file changed. */
  hash: string;
}

export interface SyncReport {
  created: string[];
  updated: string[];
  deleted: string[];
  problems: { scheduleId: string; message: string }[];
}

async function desiredSchedules(runbooks: RunbookStore) {
  const desired: Desired[] = [];
  const problems: SyncReport['problems'] = [];
  const invalidRunbooks = new Set<string>();
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
      const params = parametersSchemaFor(runbook.parameters).safeParse(schedule.params);
      if (!params.success) {
        problems.push({ scheduleId, message: `params: ${params.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` });
        continue;
      }
      const input: RunInput = {
        runbook,
        planHash,
        ...(subRunbooks && { subRunbooks }),
        params: params.data,
        trigger: { type: 'schedule', by: `schedule:${schedule.name}`, scheduleId },
      };
      // A child runbook's new version changes what the schedule starts, so it updates the schedule too.
      const children = Object.fromEntries(Object.entries(subRunbooks ?? {}).map(([id, child]) => [id, child.planHash]));
      const hash = createHash('sha256').update(JSON.stringify({ planHash, schedule, params: params.data, ...(subRunbooks && { children }) })).digest('hex');
      desired.push({ scheduleId, runbook, schedule, input, hash });
    }
  }
  return { desired, problems, invalidRunbooks };
}

function scheduleOptions(desired: Desired, taskQueue: string) {
  return {
    spec: { cronExpressions: [desired.schedule.cron], timezone: desired.schedule.timezone },
    action: {
      type: 'startWorkflow' as const,
      workflowType: runProtocol.workflowType,
      workflowId: `schedule-${desired.runbook.id}-${desired.schedule.name}`,
      taskQueue,
      args: [desired.input],
      // Temporal keeps cron only in compiled form; the memo keeps it as the author wrote it.
      memo: { runwrightHash: desired.hash, cron: desired.schedule.cron },
      typedSearchAttributes: [
        { key: searchKeys.runbookId, value: desired.runbook.id },
        { key: searchKeys.trigger, value: 'schedule' },
        { key: searchKeys.planHash, value: desired.input.planHash },
      ],
    },
    policies: { overlap: overlapPolicies[desired.schedule.overlap], catchupWindow: durationToMs(desired.schedule.catchupWindow) },
  };
}

/**
 * Brings Temporal's schedules in step with the runbook files: creates the missing, updates the
 * changed (the pause state stays as operators left it), deletes those whose runbook or schedule
 * is gone. A runbook that does not validate keeps its schedules untouched until it is fixed.
 */
export async function syncSchedules(client: Client, settings: Settings, runbooks: RunbookStore): Promise<SyncReport> {
  const { desired, problems, invalidRunbooks } = await desiredSchedules(runbooks);
  const report: SyncReport = { created: [], updated: [], deleted: [], problems };
  const existing = new Set<string>();
  for await (const summary of client.schedule.list()) {
    if (!summary.scheduleId.startsWith(prefix)) continue;
    // This API manages the schedules of its own task queue; another deployment's are not ours to delete.
    const action = (await client.schedule.getHandle(summary.scheduleId).describe()).action as { taskQueue?: string };
    if (action.taskQueue === settings.RUNWRIGHT_TASK_QUEUE) existing.add(summary.scheduleId);
  }
  for (const want of desired) {
    const options = scheduleOptions(want, settings.RUNWRIGHT_TASK_QUEUE);
    if (!existing.has(want.scheduleId)) {
      await client.schedule.create({
        scheduleId: want.scheduleId,
        ...options,
        state: { paused: want.schedule.paused, note: want.schedule.paused ? 'paused in the runbook file' : '' },
      });
      report.created.push(want.scheduleId);
      continue;
    }
    const handle = client.schedule.getHandle(want.scheduleId);
    const described = await handle.describe();
    const action = described.action as { memo?: Record<string, unknown> };
    if (action.memo?.runwrightHash === want.hash) continue;
    await handle.update((previous) => ({ ...previous, ...options, state: { paused: previous.state.paused, note: previous.state.note } }));
    report.updated.push(want.scheduleId);
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
  return report;
}
