import type { z } from 'zod';
import { stepKinds, stepTypes, type StepKinds, type StepType } from '../steps/registry.js';
import { authoringSchemaOf } from './authoring.js';

/**
 * The config schema a runbook is written against, per kind. Action kinds take templates in
 * their typed fields, because the worker renders the config and validates it with the kind's
 * real schema before the activity runs. Control kinds keep their real schema: the interpreter
 * reads their fields as they are written (a checkpoint's quorum, a forEach's batch size), and
 * those that may come from a run say so themselves (durations as `{{ … }}`).
 */
export function authoringConfigOf<K extends StepType>(type: K): StepKinds[K]['config'] {
  const kind = stepKinds[type];
  return kind.execution === 'action' ? authoringSchemaOf(kind.config) : kind.config;
}

let byConfig: Map<z.ZodType, z.ZodType> | undefined;

/** The authoring form of a kind's config schema, found from the real one; any other schema comes back as it is. */
export function authoringConfigFor(schema: z.ZodType): z.ZodType {
  byConfig ??= new Map(stepTypes.map((type) => [stepKinds[type].config as z.ZodType, authoringConfigOf(type) as z.ZodType]));
  return byConfig.get(schema) ?? schema;
}
