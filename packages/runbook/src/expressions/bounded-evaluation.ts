import jsonata from 'jsonata';
import { stepErrors } from '../steps/step-errors.js';
import { evaluationClock, expressionLimits, type EvaluationClock, type ExpressionLimits } from './limits.js';

/** An expression stopped by a limit of `limits.ts`: it would have run too long, too deep or too large. */
export class ExpressionLimitError extends Error {
  override name = stepErrors.expressionLimit;
}

/** An expression JSONata refused or failed to evaluate (a type error, an unknown function…), as an Error. */
export class ExpressionError extends Error {
  override name = stepErrors.invalidConfig;
  constructor(
    message: string,
    readonly code?: string,
    readonly position?: number,
  ) {
    super(message);
  }
}

const entryHook = Symbol.for('jsonata.__evaluate_entry');
const exitHook = Symbol.for('jsonata.__evaluate_exit');
/** What reading or making a large value costs, in steps: native work is far cheaper than an evaluation step. */
const charsPerStep = 1_024;
const itemsPerStep = 16;

function shown(source: string): string {
  const flat = source.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 77)}…` : flat;
}

/** 500000 → 500,000 (plain string work: workflow code gives no promise about Intl). */
const count = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

type Node = { type?: string; value?: unknown; lhs?: unknown; rhs?: unknown };

/**
 * What one evaluation has used: one expression, or every template of one config (the unit a
 * run renders at once, so ten templates of one node share one budget). Steps are counted by
 * the entry hook, which JSONata runs before it evaluates any expression node; every value a
 * node makes or reads is measured by the exit hook, so a loop, a recursion or a growing value
 * stops at the limit whatever form it takes.
 */
class Budget {
  private steps = 0;
  private readonly startedAt: number | undefined;
  /** The first limit hit; kept because JSONata's `$eval` wraps errors thrown inside it. */
  exceeded: ExpressionLimitError | undefined;

  constructor(
    readonly limits: ExpressionLimits,
    private readonly clock: EvaluationClock | undefined,
  ) {
    this.startedAt = clock?.now();
  }

  fail(source: string, what: string): never {
    this.exceeded ??= new ExpressionLimitError(`expression ${shown(source)}: ${what}`);
    throw this.exceeded;
  }

  charge(source: string, steps: number): void {
    this.steps += steps;
    if (this.exceeded) throw this.exceeded;
    if (this.steps > this.limits.steps) {
      this.fail(source, `stopped after ${count(this.limits.steps)} evaluation steps, the limit: does it loop or recurse without end, or work through too much data?`);
    }
  }

  /** Where a clock runs: the time limit, and a pause when the slice is used up. */
  tick(source: string): Promise<void> | undefined {
    if (!this.clock) return undefined;
    const now = this.clock.now();
    if (now - this.startedAt! > this.limits.timeMs) this.fail(source, `ran longer than ${count(this.limits.timeMs)} ms, the limit`);
    return pauseWhenDue(this.clock, now, this.limits.sliceMs);
  }
}

/** One expression evaluating against a shared budget: its depth, and the operands of its ranges. */
class Tracker {
  private depth = 0;
  /** `a..b` allocates its whole list at once: its size is checked once `a` and `b` are known, before it is made. */
  private readonly rangeOf = new Map<unknown, Node>();
  private readonly openRanges = new Map<Node, { lhs?: unknown }[]>();

  constructor(
    readonly source: string,
    private readonly budget: Budget,
  ) {}

  enter = (expr: Node): Promise<void> | undefined => {
    this.depth++;
    if (this.depth > this.budget.limits.depth) this.budget.fail(this.source, `nested deeper than ${count(this.budget.limits.depth)} levels, the limit: does it recurse without end?`);
    this.budget.charge(this.source, 1);
    if (expr.type === 'binary' && expr.value === '..') {
      this.rangeOf.set(expr.lhs, expr);
      this.rangeOf.set(expr.rhs, expr);
      (this.openRanges.get(expr) ?? this.openRanges.set(expr, []).get(expr)!).push({});
    }
    return this.budget.tick(this.source);
  };

  exit = (expr: Node, _input: unknown, _environment: unknown, result: unknown): void => {
    this.depth--;
    const range = this.rangeOf.get(expr);
    if (range) {
      const open = this.openRanges.get(range)!;
      // JSONata unwraps a one-item sequence only after this hook: `params.n` arrives as [n].
      const value = Array.isArray(result) && result.length === 1 ? (result[0] as unknown) : result;
      if (expr === range.lhs) open[open.length - 1]!.lhs = value;
      else {
        const { lhs } = open.pop()!;
        if (typeof lhs === 'number' && typeof value === 'number') this.list(value - lhs + 1);
      }
    }
    this.measure(result);
  };

  /** Checks one value an expression made or read, and pays for its size. */
  measure(value: unknown): void {
    if (typeof value === 'string') {
      this.text(value.length);
      this.budget.charge(this.source, Math.floor(value.length / charsPerStep));
    } else if (Array.isArray(value)) {
      this.list(value.length);
      this.budget.charge(this.source, Math.floor(value.length / itemsPerStep));
    }
  }

  charge(steps: number): void {
    this.budget.charge(this.source, steps);
  }

  text(length: number): void {
    const { textLength } = this.budget.limits;
    if (length > textLength) this.budget.fail(this.source, `made a text of ${count(length)} characters; the limit is ${count(textLength)}`);
  }

  list(length: number): void {
    const { listLength } = this.budget.limits;
    if (length > listLength) this.budget.fail(this.source, `made a list of ${count(length)} items; the limit is ${count(listLength)}`);
  }
}

/**
 * Where a clock runs, evaluations hand the event loop back every `sliceMs`: JSONata awaits
 * the entry hook, so the pause suspends the evaluation while I/O (a health check, another
 * request, a heartbeat) is served. Shared by every evaluation of the process.
 */
let sliceStartedAt: number | undefined;
function pauseWhenDue(clock: EvaluationClock, now: number, sliceMs: number): Promise<void> | undefined {
  sliceStartedAt ??= now;
  if (now - sliceStartedAt < sliceMs) return undefined;
  return clock.pause().then(() => {
    sliceStartedAt = clock.now();
  });
}

/**
 * The size of a value's JSON text, counted up to `limit` (and a little past it): the walk
 * stops as soon as the limit is passed, so measuring costs at most `limit` steps however large
 * (or however shared) the value is.
 */
export function jsonSizeUpTo(value: unknown, limit: number, indent = 0): number {
  let size = 0;
  const visit = (v: unknown, depth: number): void => {
    if (size > limit) return;
    size += indent * depth;
    if (typeof v === 'string') size += v.length + 2;
    else if (typeof v === 'number') size += String(v).length;
    else if (typeof v === 'boolean') size += 5;
    else if (v === null || v === undefined) size += 4;
    else if (Array.isArray(v)) {
      size += 2;
      for (const item of v) {
        if (size > limit) return;
        size += 1;
        visit(item, depth + 1);
      }
    } else if (typeof v === 'object') {
      size += 2;
      for (const key of Object.keys(v)) {
        if (size > limit) return;
        size += key.length + 4;
        visit((v as Record<string, unknown>)[key], depth + 1);
      }
    } else size += 2;
  };
  visit(value, 0);
  return size;
}

type JsonataFunction = { _jsonata_function: true; implementation: (...args: unknown[]) => unknown; signature?: unknown };
type Focus = { createSequence: () => unknown[] };

/** JSONata's own built-ins, fetched once: the guards below check their arguments, then call them. */
let builtins: Promise<Record<'pad' | 'string' | 'join' | 'distinct', JsonataFunction>> | undefined;
function originalBuiltins() {
  const builtin = async (name: string) => (await jsonata(`$${name}`).evaluate(undefined)) as JsonataFunction;
  builtins ??= (async () => ({ pad: await builtin('pad'), string: await builtin('string'), join: await builtin('join'), distinct: await builtin('distinct') }))();
  return builtins;
}

/** JSONata's equality of values (`utils.isDeepEqual`), for `$distinct` below. */
function deepEqual(lhs: unknown, rhs: unknown): boolean {
  if (lhs === rhs) return true;
  if (typeof lhs !== 'object' || typeof rhs !== 'object' || lhs === null || rhs === null) return false;
  if (Array.isArray(lhs) && Array.isArray(rhs)) return lhs.length === rhs.length && lhs.every((v, i) => deepEqual(v, rhs[i]));
  const lkeys = Object.getOwnPropertyNames(lhs).sort();
  const rkeys = Object.getOwnPropertyNames(rhs).sort();
  if (lkeys.length !== rkeys.length || lkeys.some((k, i) => k !== rkeys[i])) return false;
  return lkeys.every((k) => deepEqual((lhs as Record<string, unknown>)[k], (rhs as Record<string, unknown>)[k]));
}

/**
 * Built-ins that can do a great deal of work, or make a large value, in one synchronous call
 * (where no hook runs): each checks what it is about to do against the budget first. Results
 * are exactly the built-ins' own.
 */
async function guardedBuiltins(budget: Tracker, limits: ExpressionLimits): Promise<Record<string, JsonataFunction>> {
  const original = await originalBuiltins();
  return {
    pad: {
      ...original.pad,
      implementation(this: Focus, text: unknown, width: unknown, char: unknown) {
        if (typeof width === 'number' && Number.isFinite(width)) budget.text(Math.abs(Math.trunc(width)));
        return original.pad.implementation.call(this, text, width, char);
      },
    },
    string: {
      ...original.string,
      implementation(this: Focus, value: unknown, prettify: unknown) {
        if (typeof value === 'object' && value !== null) {
          const size = jsonSizeUpTo(value, limits.textLength, prettify ? 2 : 0);
          budget.text(size);
          budget.charge(Math.floor(size / charsPerStep));
        }
        return original.string.implementation.call(this, value, prettify);
      },
    },
    join: {
      ...original.join,
      implementation(this: Focus, texts: unknown, separator: unknown) {
        if (Array.isArray(texts)) {
          const sep = typeof separator === 'string' ? separator.length : 0;
          let size = 0;
          for (const text of texts) size += (typeof text === 'string' ? text.length : 0) + sep;
          budget.text(size - sep);
        }
        return original.join.implementation.call(this, texts, separator);
      },
    },
    // JSONata compares every item with every item kept so far (quadratic); the same result here,
    // with plain values found through a Set and every comparison of objects paid for.
    distinct: {
      ...original.distinct,
      implementation(this: Focus, list: unknown) {
        if (list === undefined) return undefined;
        if (!Array.isArray(list) || list.length <= 1) return list;
        const results = (list as { sequence?: boolean }).sequence === true ? this.createSequence() : [];
        const plain = new Set<unknown>();
        const objects: unknown[] = [];
        for (const value of list) {
          if (typeof value !== 'object' || value === null) {
            // NaN equals nothing, itself included.
            if (value !== value) results.push(value);
            else if (!plain.has(value)) {
              plain.add(value);
              results.push(value);
            }
            continue;
          }
          budget.charge(objects.length);
          if (!objects.some((kept) => deepEqual(value, kept))) {
            objects.push(value);
            results.push(value);
          }
        }
        return results;
      },
    },
  };
}

function asError(error: unknown, budget: Budget, source: string): Error {
  if (budget.exceeded) return budget.exceeded;
  const { code, message, position } = (error ?? {}) as { code?: string; message?: string; position?: number };
  // The engine's own ceilings (a string of 2^29 characters, the call stack, a range of 1e7) are limits too.
  if (error instanceof RangeError || code === 'D2014') return new ExpressionLimitError(`expression ${shown(source)}: ${message ?? String(error)}`);
  if (error instanceof Error && typeof code !== 'string') return error;
  return new ExpressionError(message ?? String(error), code, position);
}

/**
 * Evaluates JSONata expressions under one budget (`limits.ts`): the counting limits always,
 * the time limit and pauses where the process installed a clock. A runaway expression throws
 * `ExpressionLimitError` naming the limit; any other failure an `ExpressionError` with
 * JSONata's message. An expression within the limits gives exactly what JSONata gives.
 */
export class BoundedEvaluation {
  private readonly budget: Budget;

  constructor(limits: ExpressionLimits = expressionLimits.templates) {
    this.budget = new Budget(limits, evaluationClock());
  }

  async evaluate(source: string, input: unknown): Promise<unknown> {
    let expression: jsonata.Expression;
    try {
      expression = jsonata(source);
    } catch (error) {
      const { message, code, position } = error as { message?: string; code?: string; position?: number };
      throw new ExpressionError(message ?? String(error), code, position);
    }
    const { limits } = this.budget;
    const tracker = new Tracker(source, this.budget);
    expression.assign(entryHook as unknown as string, tracker.enter);
    expression.assign(exitHook as unknown as string, tracker.exit);
    for (const [name, definition] of Object.entries(await guardedBuiltins(tracker, limits))) expression.assign(name, definition);
    let result: unknown;
    try {
      result = await expression.evaluate(input);
    } catch (error) {
      throw asError(error, this.budget, source);
    }
    const size = jsonSizeUpTo(result, limits.resultSize);
    if (size > limits.resultSize) this.budget.fail(source, `gave a result of more than ${count(limits.resultSize)} characters as JSON, the limit`);
    return result;
  }
}

/** One expression, on a budget of its own. */
export function evaluateBounded(source: string, input: unknown, limits: ExpressionLimits = expressionLimits.templates): Promise<unknown> {
  return new BoundedEvaluation(limits).evaluate(source, input);
}
