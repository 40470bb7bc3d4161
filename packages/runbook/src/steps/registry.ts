import type { z } from 'zod';
import { checkpoint } from './checkpoint.js';
import { http } from './http.js';
import { shell } from './shell.js';

/**
 * Every step kind, defined once. Unions, forms, the palette and the worker's dispatch table
 * are all derived from this object; adding a kind means adding it here and giving it an
 * activity (action kinds) or interpreter support (control kinds).
 */
export const stepKinds = { shell, http, checkpoint } as const;

export type StepKinds = typeof stepKinds;
export type StepType = keyof StepKinds;
export type ActionType = { [K in StepType]: StepKinds[K]['execution'] extends 'action' ? K : never }[StepType];
export type StepConfig<K extends StepType> = z.output<StepKinds[K]['config']>;
export type StepOutput<K extends StepType> = z.output<StepKinds[K]['output']>;

export const stepTypes = Object.keys(stepKinds) as StepType[];
export const actionTypes = stepTypes.filter((t) => stepKinds[t].execution === 'action') as ActionType[];

export function isStepType(type: string): type is StepType {
  return Object.hasOwn(stepKinds, type);
}
