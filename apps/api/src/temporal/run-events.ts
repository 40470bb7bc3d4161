import { defaultPayloadConverter } from '@temporalio/common';
import proto, { type temporal as protoTypes } from '@temporalio/proto';

// The generated protobuf module is CommonJS without named-export hints: Node's ESM loader needs the default import.
const { temporal } = proto;
import type { RunEvent } from '@runwright/runbook';

type HistoryEvent = protoTypes.api.history.v1.IHistoryEvent;
type Payloads = protoTypes.api.common.v1.IPayloads | null | undefined;

function decode(payloads: Payloads): unknown[] {
  return (payloads?.payloads ?? []).map((payload) => {
    try {
      return defaultPayloadConverter.fromPayload(payload);
    } catch {
      return '(undecodable payload)';
    }
  });
}

function eventTypeName(type: HistoryEvent['eventType']): string {
  const name = temporal.api.enums.v1.EventType[type ?? 0] ?? 'EVENT_TYPE_UNSPECIFIED';
  // EVENT_TYPE_ACTIVITY_TASK_SCHEDULED → ActivityTaskScheduled
  return name
    .replace(/^EVENT_TYPE_/, '')
    .toLowerCase()
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

function first(payloads: Payloads): Record<string, unknown> {
  const [value] = decode(payloads);
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

function pick(source: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => source[k] !== undefined).map((k) => [k, source[k]]));
}

/** What an event says, in terms a person reading a run's timeline cares about. */
function detailsOf(event: HistoryEvent): Record<string, unknown> {
  const started = event.workflowExecutionStartedEventAttributes;
  if (started) {
    const input = first(started.input);
    const runbook = input.runbook as { id?: string } | undefined;
    return { taskQueue: started.taskQueue?.name, runbookId: runbook?.id, planHash: input.planHash, trigger: input.trigger, params: input.params };
  }
  const scheduled = event.activityTaskScheduledEventAttributes;
  if (scheduled) return { activityType: scheduled.activityType?.name, activityId: scheduled.activityId, ...pick(first(scheduled.input), ['nodeId']) };
  if (event.activityTaskStartedEventAttributes) return { attempt: event.activityTaskStartedEventAttributes.attempt };
  const failed = event.activityTaskFailedEventAttributes?.failure ?? event.workflowExecutionFailedEventAttributes?.failure;
  if (failed) return { message: failed.message, type: failed.applicationFailureInfo?.type ?? failed.cause?.applicationFailureInfo?.type };
  if (event.activityTaskTimedOutEventAttributes) return { message: event.activityTaskTimedOutEventAttributes.failure?.message };
  if (event.timerStartedEventAttributes) {
    const seconds = event.timerStartedEventAttributes.startToFireTimeout?.seconds;
    return { timerId: event.timerStartedEventAttributes.timerId, seconds: seconds === undefined || seconds === null ? undefined : Number(seconds) };
  }
  const signaled = event.workflowExecutionSignaledEventAttributes;
  if (signaled) return { signal: signaled.signalName, input: decode(signaled.input), identity: signaled.identity };
  const accepted = event.workflowExecutionUpdateAcceptedEventAttributes;
  if (accepted) {
    const args = first(accepted.acceptedRequest?.input?.args);
    return {
      update: accepted.acceptedRequest?.input?.name,
      ...pick(args, ['nodeId', 'decision', 'action', 'comment', 'checklist']),
      ...(args.decider !== undefined && { by: (args.decider as { user?: string }).user }),
    };
  }
  const updated = event.workflowExecutionUpdateCompletedEventAttributes;
  if (updated) return { outcome: updated.outcome?.failure ? 'failure' : 'success', ...(updated.outcome?.failure && { message: updated.outcome.failure.message }) };
  if (event.workflowExecutionTerminatedEventAttributes) return { reason: event.workflowExecutionTerminatedEventAttributes.reason, identity: event.workflowExecutionTerminatedEventAttributes.identity };
  if (event.workflowExecutionCancelRequestedEventAttributes) return { identity: event.workflowExecutionCancelRequestedEventAttributes.identity };
  const child = event.startChildWorkflowExecutionInitiatedEventAttributes;
  if (child) return { workflowId: child.workflowId };
  return {};
}

/** Workflow-task bookkeeping says nothing about the runbook; the timeline leaves it out. */
const noise = /^WorkflowTask/;

export function runEvents(events: HistoryEvent[]): RunEvent[] {
  return events
    .map((event) => ({
      id: Number(event.eventId ?? 0),
      at: event.eventTime ? new Date(Number(event.eventTime.seconds ?? 0) * 1000 + Math.floor((event.eventTime.nanos ?? 0) / 1e6)).toISOString() : '',
      type: eventTypeName(event.eventType),
      details: JSON.parse(JSON.stringify(detailsOf(event))) as Record<string, unknown>,
    }))
    .filter((event) => !noise.test(event.type));
}
