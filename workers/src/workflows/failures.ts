import { ActivityFailure, ApplicationFailure, ChildWorkflowFailure, TimeoutFailure } from '@temporalio/workflow';
import { stepErrors } from '@runwright/runbook';

export interface NodeFailure {
  type: string;
  message: string;
  attempts?: number;
}

/** What went wrong in a node, as the run state shows it: the typed cause, not the wrapper. */
export function describeFailure(error: unknown): NodeFailure {
  const cause = error instanceof ActivityFailure || error instanceof ChildWorkflowFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure) {
    const details = cause.details?.[0] as { attempt?: number } | undefined;
    return { type: cause.type ?? 'Error', message: cause.message, ...(details?.attempt && { attempts: details.attempt }) };
  }
  if (cause instanceof TimeoutFailure) return { type: stepErrors.timedOut, message: cause.message };
  if (cause instanceof Error) return { type: cause.name, message: cause.message };
  return { type: 'Error', message: String(cause) };
}

/** A wait (checkpoint, soak) given up because the run halted elsewhere; the node ends `skipped`. */
export class Abandoned extends Error {
  constructor(message = 'abandoned: the run halted while this node waited') {
    super(message);
    this.name = stepErrors.abandoned;
  }
}

export function isAbandoned(error: unknown): error is Abandoned {
  return error instanceof Abandoned;
}
