import type { Objectives } from '../document/objectives.js';
import { evaluateExpression, templateExpressions } from '../expressions/template.js';
import type { RunState } from '../protocol/run-state.js';

export interface RecoveryMeasure {
  seconds: number | null;
  startedAt?: string;
  recoveredAt?: string;
  /** Why nothing was measured. */
  missing?: string;
}

/** Seconds from one ISO time to another, to the millisecond. */
export const secondsBetween = (from: string, to: string) => Math.round(Date.parse(to) - Date.parse(from)) / 1000;

/**
 * The recovery clock runs from the start of `recoveryStartsAt` (or the run's start: for a
 * scheduled drill, the moment it was triggered) until `recoveredAt` succeeded.
 */
export function measureRecovery(objectives: Objectives, state: RunState): RecoveryMeasure {
  const startNode = objectives.recoveryStartsAt === undefined ? undefined : state.nodes[objectives.recoveryStartsAt];
  const startedAt = objectives.recoveryStartsAt === undefined ? state.startedAt : startNode?.startedAt;
  if (startedAt === undefined) return { seconds: null, missing: `the recovery never started: ${objectives.recoveryStartsAt} did not run` };
  const end = state.nodes[objectives.recoveredAt];
  if (end?.status !== 'succeeded' || end.endedAt === undefined) {
    return { seconds: null, startedAt, missing: `${objectives.recoveredAt}, which marks the service recovered, has not succeeded (${end?.status ?? 'not run'})` };
  }
  return { seconds: Math.max(0, secondsBetween(startedAt, end.endedAt)), startedAt, recoveredAt: end.endedAt };
}

function asSeconds(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/** Evaluates the `dataLossSeconds` template over the run's step outputs; null (with why) when it gives no number. */
export async function measureDataLoss(
  objectives: Objectives,
  state: RunState,
  runId: string,
): Promise<{ seconds: number | null; missing?: string }> {
  if (objectives.dataLossSeconds === undefined) return { seconds: null, missing: 'the runbook does not say how to measure data loss (objectives.dataLossSeconds)' };
  const [expression] = templateExpressions(objectives.dataLossSeconds);
  if (expression === undefined) return { seconds: null, missing: 'objectives.dataLossSeconds holds no {{ expression }}' };
  const steps = Object.fromEntries(Object.entries(state.nodes).map(([id, node]) => [id, { output: node.output, status: node.status }]));
  try {
    const value = await evaluateExpression(expression, {
      params: state.params,
      steps,
      run: { id: runId, runbookId: state.runbookId, startedBy: state.startedBy },
    });
    const measured = asSeconds(value);
    if (measured === undefined) return { seconds: null, missing: `objectives.dataLossSeconds gave ${JSON.stringify(value) ?? 'nothing'}, not a number of seconds` };
    return { seconds: measured };
  } catch (error) {
    return { seconds: null, missing: `objectives.dataLossSeconds failed: ${(error as { message?: string }).message ?? String(error)}` };
  }
}
