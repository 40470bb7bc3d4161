import type { z } from 'zod';
import { actionKinds } from './action-kinds.js';
import { branch } from './branch.js';
import { checkpoint } from './checkpoint.js';
import { forEach } from './for-each.js';
import { observe } from './observe.js';
import { subRunbook } from './sub-runbook.js';

/**
 * Every step kind, defined once: the action kinds of `action-kinds.ts` and the control kinds the
 * interpreter runs itself. Unions, forms, the palette, the checks and the worker's dispatch table
 * are all derived from this object.
 */
export const stepKinds = { ...actionKinds, checkpoint, branch, observe, forEach, subRunbook } as const;

export type StepKinds = typeof stepKinds;
export type StepType = keyof StepKinds;
export type ActionType = keyof typeof actionKinds;
export type StepConfig<K extends StepType> = z.output<StepKinds[K]['config']>;
export type StepOutput<K extends StepType> = z.output<StepKinds[K]['output']>;

export const stepTypes = Object.keys(stepKinds) as StepType[];
export const actionTypes = Object.keys(actionKinds) as ActionType[];

export function isStepType(type: string): type is StepType {
  return Object.hasOwn(stepKinds, type);
}
