import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import {
  drillReport,
  notADrillError,
  runProtocol,
  type DrillReport,
  type DrillSummary,
  type RunState,
} from '@runwright/runbook';
import { ApiError } from '../http/api-error.js';
import { readRunInput } from '../temporal/run-input.js';
import { runEvents } from '../temporal/run-events.js';
import { listRuns } from '../temporal/run-visibility.js';
import type { ReportCache } from './report-cache.js';

/** How many drills a runbook's history shows (newest first), and how many reports are computed at once. */
const drillHistoryLimit = 100;
const parallelReports = 4;

export function drillSummary(report: DrillReport): DrillSummary {
  return {
    runId: report.runId,
    startedAt: report.startedAt,
    ...(report.finishedAt !== undefined && { finishedAt: report.finishedAt }),
    status: report.status,
    dryRun: report.dryRun,
    trigger: report.trigger,
    recoverySeconds: report.measured.recoverySeconds,
    dataLossSeconds: report.measured.dataLossSeconds,
    verdict: report.verdict,
  };
}

/** Drill reports computed from Temporal (the run's start input, state and history), cached once the run is closed. */
export class DrillReports {
  constructor(
    private readonly client: Client,
    private readonly cache: ReportCache,
  ) {}

  async report(runId: string): Promise<DrillReport> {
    const handle = this.client.workflow.getHandle(runId);
    // Described before the history is read: a run found closed here has its whole history below.
    const description = await handle.describe().catch((error: unknown) => {
      throw error instanceof WorkflowNotFoundError ? ApiError.notFound(`no run "${runId}"`) : error;
    });
    // Keyed by Temporal's execution id too: a workflow id reused by a later run is another drill.
    const cached = await this.cache.get(runId, description.runId);
    if (cached) return cached;
    // The definition the run started with is the one it is judged by, whatever the file says now.
    const input = await readRunInput(this.client, runId);
    const runbook = input.runbook;
    if (!runbook.objectives) {
      throw new ApiError(409, notADrillError, `run "${runId}" is not a drill: runbook "${runbook.id}" had no objectives when the run started`);
    }
    const history = await handle.fetchHistory();
    const closed = description.status.name !== 'RUNNING';
    // A completed run's result is its final state (no worker needed); others answer the state query.
    const state = (description.status.name === 'COMPLETED' ? await handle.result() : await handle.query(runProtocol.queries.state)) as RunState;
    const report = await drillReport({ runId, runbook: { ...runbook, objectives: runbook.objectives }, state, trigger: input.trigger, events: runEvents(history.events ?? []) });
    if (closed) await this.cache.put(report, description.runId);
    return report;
  }

  /** A runbook's drills, newest first; runs started before it had objectives are not drills and are left out. */
  async drills(runbookId: string): Promise<DrillSummary[]> {
    const runs = await listRuns(this.client, { runbookId }, drillHistoryLimit);
    const summaries: (DrillSummary | undefined)[] = [];
    for (let i = 0; i < runs.length; i += parallelReports) {
      const batch = runs.slice(i, i + parallelReports).map(async (run) => {
        try {
          return drillSummary(await this.report(run.runId));
        } catch (error) {
          if (error instanceof ApiError && (error.status === 409 || error.status === 404)) return undefined;
          throw error;
        }
      });
      summaries.push(...(await Promise.all(batch)));
    }
    return summaries.filter((s): s is DrillSummary => s !== undefined).sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0));
  }
}
