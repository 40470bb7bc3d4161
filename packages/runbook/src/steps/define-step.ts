import type { z } from 'zod';

/** Where a kind sits in the editor's palette. */
export type StepCategory = 'actions' | 'control' | 'human';

/**
 * How a kind is executed. Action kinds run as one activity on a worker; control kinds are
 * interpreted by the workflow itself (they wait, branch or fan out, and never do I/O).
 */
export type StepExecution = 'action' | 'control';

/**
 * What a config field's text is to the engine, beyond a value:
 * - `code`: a program, script or statement that a shell or a database interprets. A template
 *   there would splice values (alert labels, parameters) into code, so the checks refuse it;
 *   values go through the channel `valuesVia` names.
 * - `expression`: the whole value is one JSONata expression that the interpreter evaluates as
 *   written (no `{{ }}`); the checks parse it with the other expressions.
 */
export type FieldRole = 'code' | 'expression';

/** Editor hints for one config field; the form itself is generated from the zod schema. */
export interface FieldHint {
  label?: string;
  role?: FieldRole;
  /** For `code` fields: how a value should reach that code instead (shown in the refusal). */
  valuesVia?: string;
  help?: string;
  widget?: 'text' | 'textarea' | 'code' | 'list' | 'keyValue' | 'number' | 'switch' | 'select' | 'checklist';
  placeholder?: string;
  /** Show the field only when another field of the same config has one of these values. */
  showWhen?: { field: string; equals: readonly unknown[] };
}

export interface StepMeta {
  label: string;
  icon: string;
  description: string;
  fields?: Record<string, FieldHint>;
}

export interface StepDefinition<
  Type extends string = string,
  Execution extends StepExecution = StepExecution,
  Config extends z.ZodType = z.ZodType,
  Output extends z.ZodType = z.ZodType,
  Pollable extends boolean = boolean,
> {
  type: Type;
  execution: Execution;
  category: StepCategory;
  config: Config;
  output: Output;
  meta: StepMeta;
  /** Whether running the step twice has the same effect as running it once. */
  idempotent: boolean;
  /**
   * A read-only check that either holds (succeeds) or fails, so `waitUntil` may poll it and a
   * service may wait on it for health. Action kinds only.
   */
  pollable?: Pollable;
}

/** Keeps the literal `type` while checking the shape of a step definition. */
export function defineStep<
  Type extends string,
  Execution extends StepExecution,
  Config extends z.ZodType,
  Output extends z.ZodType,
  Pollable extends boolean = false,
>(definition: StepDefinition<Type, Execution, Config, Output, Pollable>): StepDefinition<Type, Execution, Config, Output, Pollable> {
  return definition;
}
