import { z } from 'zod';
import { stepTypes, type StepConfig, type StepType } from '../steps/registry.js';
import { durationSchema } from './duration.js';
import { parameterNameSchema, parameterSchema } from './parameters.js';
import { triggersSchema } from './triggers.js';
import { objectivesSchema } from './objectives.js';
import { actionCallSchema } from './action-call.js';
import { authoringConfigOf } from './authoring-configs.js';
import { defaultsSchema, onFailureSchema, retryPolicySchema } from './policies.js';
import { nodeIdSchema } from './ids.js';
import { secretDeclarationSchema } from '../steps/secret-ref.js';

/** Authors choose ids; they key outputs, logs, the editor's nodes and the live overlay (rules in ids.ts). */
export { nodeIdSchema, runbookIdSchema, isRunbookId } from './ids.js';

/**
 * What a checkpoint is addressed by (the run's inbox, the decision route, `runwright approve`):
 * its node's id, or a forEach's gate between batches, `<forEach>.canary` or `<forEach>.batch-<n>`
 * (plan/batch-gates.ts). The dot keeps gate ids apart from every node id.
 */
export const checkpointIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*(\.(canary|batch-[1-9][0-9]*))?$/, 'a node id, or a forEach gate such as rollout.canary or rollout.batch-2')
  .max(80);

/** Policies every node shares; a kind's own config holds only what is unique to it. */
const nodeWrapperShape = {
  id: nodeIdSchema,
  title: z.string().optional(),
  description: z.string().optional(),
  retry: retryPolicySchema.optional(),
  timeout: durationSchema.optional(),
  heartbeat: durationSchema.optional(),
  runsOn: z.string().min(1).optional(),
  /** A JSONata condition over the run's scope; the node is skipped when it is falsy. */
  when: z.string().min(1).optional(),
  onFailure: onFailureSchema.optional(),
  /** Undoes this (action) node's effect when the run rolls back. */
  rollback: actionCallSchema.optional(),
  /**
   * The forEach node this node belongs to: it runs once per item inside that node's sub-graph,
   * never in the outer graph. Mirrors React Flow's `parentId`, so the editor draws it as a sub-flow.
   */
  parent: nodeIdSchema.optional(),
};

// Written against the authoring form of the config: typed action fields may be `{{ templates }}` (authoring-configs.ts).
function nodeSchemaFor<K extends StepType>(type: K) {
  return z.strictObject({ ...nodeWrapperShape, kind: z.literal(type), config: authoringConfigOf(type) });
}

const nodeOptions = stepTypes.map((type) => nodeSchemaFor(type)) as unknown as [
  ReturnType<typeof nodeSchemaFor>,
  ...ReturnType<typeof nodeSchemaFor>[],
];

export const nodeSchema = z.discriminatedUnion('kind', nodeOptions, {
  error: (issue) =>
    issue.code === 'invalid_union' ? `unknown step kind; known kinds are ${stepTypes.join(', ')}` : undefined,
});

type NodeWrapper = z.output<z.ZodObject<typeof nodeWrapperShape>>;
/** A node of a validated runbook, typed by its kind. */
export type RunbookNode = { [K in StepType]: NodeWrapper & { kind: K; config: StepConfig<K> } }[StepType];
export type NodeOfKind<K extends StepType> = Extract<RunbookNode, { kind: K }>;

export const edgeSchema = z.strictObject({
  from: nodeIdSchema,
  to: nodeIdSchema,
  /** Names the branch outcome that activates this edge (branch nodes only). */
  label: z.string().optional(),
});
export type Edge = z.infer<typeof edgeSchema>;

/** Editor-only data; execution never reads it and the plan hash excludes it. */
export const layoutSchema = z.strictObject({
  nodes: z.record(z.string(), z.strictObject({ x: z.number(), y: z.number() })).default({}),
  notes: z
    .array(z.strictObject({ id: z.string(), text: z.string(), x: z.number(), y: z.number() }))
    .default([]),
});
export type Layout = z.infer<typeof layoutSchema>;

export const runbookSchema = z.strictObject({
  id: nodeIdSchema,
  title: z.string().min(1),
  description: z.string().default(''),
  owners: z.array(z.string()).default([]),
  tags: z.array(z.string()).default([]),
  parameters: z.record(parameterNameSchema, parameterSchema).default({}),
  /**
   * Every secret a node references as `{ secret: NAME }` (see secret-ref.ts and check-secrets.ts).
   * Left out when there are none, so runbooks without secrets keep the plan hash they had.
   */
  secrets: z.array(secretDeclarationSchema).optional(),
  /** Alert routes (and their storm limits) that start this runbook; see triggers.ts. */
  triggers: triggersSchema.default({ schedules: [], alerts: [], webhooks: [], alertLimits: { maxConcurrent: 10, maxStarts: 30, window: '1h' } }),
  /** RTO/RPO a drill is measured against; a runbook with objectives is a drill runbook (see objectives.ts). */
  objectives: objectivesSchema.optional(),
  defaults: defaultsSchema.default({ timeout: '5m' }),
  /**
   * At most one run per key at a time (e.g. per cluster): `key` is a template over `params`; a
   * second run for a held key waits its turn or is refused at once.
   */
  concurrency: z
    .strictObject({ key: z.string().min(1), onConflict: z.enum(['wait', 'refuse']).default('wait') })
    .optional(),
  nodes: z.array(nodeSchema).min(1, 'a runbook needs at least one node'),
  edges: z.array(edgeSchema).default([]),
  layout: layoutSchema.default({ nodes: {}, notes: [] }),
});

export type Runbook = Omit<z.output<typeof runbookSchema>, 'nodes'> & { nodes: RunbookNode[] };
