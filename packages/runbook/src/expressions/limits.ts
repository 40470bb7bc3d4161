/**
 * The limits every JSONata evaluation runs under, in one place: templates and conditions in
 * workflow code, the API's plan preview, alert and webhook routes and drill reports, and
 * assertions in activities all evaluate through `bounded-evaluation.ts` with one of the
 * profiles below.
 *
 * Two kinds of limit:
 * - **Budgets that count** (steps, depth, sizes) hold everywhere. They are deterministic — the
 *   same expression over the same data always stops at the same place — so workflow code can
 *   use them: its clock is frozen during an activation, and a runaway expression there must
 *   fail its node, not the workflow task (which Temporal would retry for ever).
 * - **A clock**, where the process has one that runs (the API, the worker's activities): a time
 *   limit, and pauses that hand the event loop back so health checks and other requests are
 *   answered while an expression evaluates. Workflow code never installs one.
 */
export interface ExpressionLimits {
  /**
   * Evaluation steps of one evaluation (one expression, or every template of one config): one
   * per expression node evaluated, plus one per 16 items of every list and one per KiB of every
   * text it makes or reads, so work a built-in does on a large value is paid for too.
   */
  steps: number;
  /** Nesting of evaluation (a recursion without end reaches it long before the stack ends). */
  depth: number;
  /** Characters of any one text an expression makes; step outputs are capped at 1 MiB. */
  textLength: number;
  /** Items of any one list an expression makes (postgres.sql returns at most 10,000 rows). */
  listLength: number;
  /** Size of an expression's result as JSON text (activity inputs stop at 2 MB anyway). */
  resultSize: number;
  /** With a clock: time one evaluation may take. */
  timeMs: number;
  /** With a clock: the longest stretch an evaluation keeps the event loop before it pauses. */
  sliceMs: number;
}

const sizes = { textLength: 1_048_576 + 65_536, listLength: 100_000, resultSize: 2_000_000 };

export const expressionLimits = {
  /**
   * Templates and conditions. They run in workflow code, where every step costs far more than
   * in a plain process (the SDK records a stack trace for every promise, and JSONata makes
   * several per step): measured on a busy machine, 2,000 steps take about 1.5 s there, and a
   * workflow activation that runs 5 s is failed as a deadlock. The API uses the same profile,
   * so a plan preview refuses exactly what a run would. The templates of the shipped runbooks
   * and of the tests take a few dozen steps.
   */
  templates: { steps: 2_000, depth: 200, ...sizes, timeMs: 1_000, sliceMs: 10 },
  /**
   * Assertions over what a step received (an HTTP body, a query result), evaluated in the
   * activity, outside the workflow sandbox, with the worker's clock running.
   */
  assertions: { steps: 200_000, depth: 1_000, ...sizes, timeMs: 1_000, sliceMs: 10 },
} as const satisfies Record<string, ExpressionLimits>;

/** A process's clock: what it reads time with, and how it hands the event loop back. */
export interface EvaluationClock {
  now(): number;
  pause(): Promise<void>;
}

let installedClock: EvaluationClock | undefined;

/**
 * Installs the clock of a process whose time runs (the API, a worker's activities). Never
 * called in workflow code, where evaluation stays bounded by the counting budgets alone.
 */
export function useEvaluationClock(clock: EvaluationClock): void {
  installedClock = clock;
}

export function evaluationClock(): EvaluationClock | undefined {
  return installedClock;
}
