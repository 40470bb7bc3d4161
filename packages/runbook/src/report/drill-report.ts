import type { Objectives } from '../document/objectives.js';
import type { Runbook } from '../document/runbook.js';
import type { RunEvent } from '../contract/run-routes.js';
import type { Trigger } from '../protocol/run-protocol.js';
import { describeOverrideNote } from '../document/schedule-override.js';
import type { RunState } from '../protocol/run-state.js';
import { measureDataLoss, measureRecovery } from './drill-measure.js';
import { drillTimeline } from './drill-timeline.js';
import type { Deviation, DrillReport, DrillTrigger, DrillVerdict, ObjectiveResult, TimelineEntry } from './drill-report-schema.js';

export interface DrillReportInput {
  runId: string;
  /** The definition the run started with (from its start input), not the file as it is now. */
  runbook: Pick<Runbook, 'id' | 'title' | 'nodes'> & { objectives: Objectives };
  state: RunState;
  trigger?: Trigger | undefined;
  /** The run's event timeline; operator interventions (retry, skip, cancel…) are read from it. */
  events?: RunEvent[] | undefined;
}

/** Only who and which route: an alert's or webhook's payload is untrusted and stays out of reports. */
function drillTrigger(trigger: Trigger | undefined): DrillTrigger {
  if (!trigger) return { type: 'unknown' };
  const name = trigger.type === 'schedule' ? trigger.scheduleId : trigger.type === 'alert' || trigger.type === 'webhook' ? trigger.route : undefined;
  const override = trigger.type === 'schedule' && trigger.override ? describeOverrideNote(trigger.override) : undefined;
  return { type: trigger.type, by: trigger.by, ...(name !== undefined && { name }), ...(override && { override }) };
}

/** `schedule runwright:dr-drill:weekly by schedule:weekly, overridden (…)`: one line, as every rendering shows it. */
export function drillTriggerText(trigger: DrillTrigger): string {
  return `${trigger.type}${trigger.name ? ` ${trigger.name}` : ''}${trigger.by ? ` by ${trigger.by}` : ''}${trigger.override ? `, ${trigger.override}` : ''}`;
}

function objectiveResults(objectives: Objectives, recovery: number | null, dataLoss: number | null): ObjectiveResult[] {
  const result = (objective: 'rto' | 'rpo', target: number | undefined, measured: number | null): ObjectiveResult[] =>
    target === undefined ? [] : [{ objective, targetSeconds: target, measuredSeconds: measured, met: measured === null ? null : measured <= target }];
  return [...result('rto', objectives.rtoSeconds, recovery), ...result('rpo', objectives.rpoSeconds, dataLoss)];
}

function stepDeviations(timeline: TimelineEntry[]): Deviation[] {
  const deviations: Deviation[] = [];
  for (const entry of timeline) {
    if (entry.type !== 'step') continue;
    const name = `${entry.title} (${entry.nodeId})`;
    if (entry.status === 'failed') deviations.push({ type: 'failed', nodeId: entry.nodeId, message: `${name} failed${entry.error ? `: ${entry.error}` : ''}` });
    if (entry.status === 'skipped') deviations.push({ type: 'skipped', nodeId: entry.nodeId, message: `${name} was skipped` });
    if (entry.status === 'rolled-back') deviations.push({ type: 'rolled-back', nodeId: entry.nodeId, message: `${name} was rolled back` });
    if (entry.attempts > 1) deviations.push({ type: 'retried', nodeId: entry.nodeId, message: `${name} took ${entry.attempts} attempts` });
    if (entry.outcome === 'timedOut') deviations.push({ type: 'checkpoint-timed-out', nodeId: entry.nodeId, message: `no one decided ${name} in time` });
    if (entry.outcome === 'rejected') deviations.push({ type: 'checkpoint-rejected', nodeId: entry.nodeId, message: `${name} was rejected` });
  }
  return deviations;
}

function operatorActions(events: RunEvent[]): Deviation[] {
  const deviations: Deviation[] = [];
  for (const event of events) {
    const details = event.details;
    if (event.type === 'WorkflowExecutionUpdateAccepted' && typeof details.action === 'string') {
      const nodeId = typeof details.nodeId === 'string' ? details.nodeId : undefined;
      deviations.push({ type: 'operator-action', ...(nodeId && { nodeId }), message: `${String(details.by ?? 'someone')} chose ${details.action} for ${nodeId ?? 'a failed node'} at ${event.at}` });
    }
    if (event.type === 'WorkflowExecutionCancelRequested') deviations.push({ type: 'operator-action', message: `cancellation requested at ${event.at}` });
    if (event.type === 'WorkflowExecutionTerminated') deviations.push({ type: 'operator-action', message: `terminated at ${event.at}: ${String(details.reason ?? '')}` });
  }
  return deviations;
}

/**
 * A drill is `incomplete` while it runs, when it never reached the node that marks the
 * service recovered, when it was a rehearsal (dry run: nothing was recovered), or when a
 * figure could not be measured; `failed` when an objective was missed or the run failed after
 * recovering; `passed` otherwise.
 */
function verdictOf(state: RunState, results: ObjectiveResult[], recovered: boolean): DrillVerdict {
  if (state.status === 'running' || state.status === 'waiting' || !recovered || state.dryRun) return 'incomplete';
  if (results.some((r) => r.met === false) || state.status !== 'succeeded') return 'failed';
  return results.some((r) => r.met === null) ? 'incomplete' : 'passed';
}

/** The report of one drill run. Pure: everything it reads is in its input. */
export async function drillReport(input: DrillReportInput): Promise<DrillReport> {
  const { runbook, state, runId } = input;
  const { objectives } = runbook;
  const recovery = measureRecovery(objectives, state);
  const dataLoss = await measureDataLoss(objectives, state, runId);
  const results = objectiveResults(objectives, recovery.seconds, dataLoss.seconds);
  const timeline = drillTimeline(runbook, state);
  const running = state.status === 'running' || state.status === 'waiting';
  const deviations: Deviation[] = [
    ...(running ? [{ type: 'run-not-finished' as const, message: `the run is still ${state.status}` }] : []),
    ...(state.dryRun ? [{ type: 'rehearsal' as const, message: 'a dry run: actions were recorded, not run, so nothing was recovered' }] : []),
    ...(state.status === 'failed' || state.status === 'cancelled'
      ? [{ type: 'run-failed' as const, ...(state.error?.nodeId && { nodeId: state.error.nodeId }), message: `the run ${state.status === 'cancelled' ? 'was cancelled' : 'failed'}${state.error ? `: ${state.error.message}` : ''}` }]
      : []),
    ...stepDeviations(timeline),
    ...operatorActions(input.events ?? []),
    ...results
      .filter((r) => r.met === false)
      .map((r) => ({
        type: 'objective-missed' as const,
        message: `${r.objective.toUpperCase()} missed: ${r.measuredSeconds} s measured against an objective of ${r.targetSeconds} s`,
      })),
    ...(recovery.missing && !running ? [{ type: 'not-measured' as const, nodeId: objectives.recoveredAt, message: `recovery time not measured: ${recovery.missing}` }] : []),
    ...(dataLoss.missing && objectives.rpoSeconds !== undefined && !running ? [{ type: 'not-measured' as const, message: `data loss not measured: ${dataLoss.missing}` }] : []),
  ];
  return {
    runId,
    runbookId: runbook.id,
    runbookTitle: runbook.title,
    planHash: state.planHash,
    trigger: drillTrigger(input.trigger),
    startedAt: state.startedAt,
    ...(state.endedAt !== undefined && { finishedAt: state.endedAt }),
    status: state.status,
    dryRun: state.dryRun === true,
    objectives,
    measured: {
      recoverySeconds: recovery.seconds,
      dataLossSeconds: dataLoss.seconds,
      ...(recovery.startedAt !== undefined && { recoveryStartedAt: recovery.startedAt }),
      ...(recovery.recoveredAt !== undefined && { recoveredAt: recovery.recoveredAt }),
    },
    results,
    verdict: verdictOf(state, results, recovery.seconds !== null),
    timeline,
    deviations,
  };
}
