import { z } from 'zod';
import { objectivesSchema } from '../document/objectives.js';
import { nodeStatusSchema, runStatusSchema } from '../protocol/run-state.js';

/** `incomplete`: the run has not (or never) reached the node that marks the service recovered. */
export const drillVerdictSchema = z.enum(['passed', 'failed', 'incomplete']);
export type DrillVerdict = z.infer<typeof drillVerdictSchema>;

export const drillTriggerSchema = z.object({
  type: z.string(),
  by: z.string().optional(),
  /** The schedule, alert route or webhook that started the run. */
  name: z.string().optional(),
  /** Set when a schedule ran with an installation's override: what it changed, who set it, why. */
  override: z.string().optional(),
});
export type DrillTrigger = z.infer<typeof drillTriggerSchema>;

/** One objective against its measurement; `met` is null when nothing could be measured. */
export const objectiveResultSchema = z.object({
  objective: z.enum(['rto', 'rpo']),
  targetSeconds: z.number(),
  measuredSeconds: z.number().nullable(),
  met: z.boolean().nullable(),
});
export type ObjectiveResult = z.infer<typeof objectiveResultSchema>;

export const checklistAnswerSchema = z.object({ id: z.string(), label: z.string(), answer: z.unknown() });

export const timelineStepSchema = z.object({
  type: z.literal('step'),
  nodeId: z.string(),
  title: z.string(),
  kind: z.string(),
  status: nodeStatusSchema,
  attempts: z.number().int(),
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
  durationSeconds: z.number().optional(),
  error: z.string().optional(),
  /** Checkpoints: approved, rejected or timedOut. */
  outcome: z.string().optional(),
});

export const timelineDecisionSchema = z.object({
  type: z.literal('decision'),
  nodeId: z.string(),
  title: z.string(),
  decision: z.enum(['approve', 'reject']),
  by: z.string(),
  at: z.string(),
  comment: z.string(),
  checklist: z.array(checklistAnswerSchema),
});

export const timelineEntrySchema = z.discriminatedUnion('type', [timelineStepSchema, timelineDecisionSchema]);
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;

export const deviationSchema = z.object({
  type: z.enum([
    'failed',
    'skipped',
    'retried',
    'rolled-back',
    'checkpoint-timed-out',
    'checkpoint-rejected',
    'objective-missed',
    'not-measured',
    'run-not-finished',
    'run-failed',
    'operator-action',
    'rehearsal',
  ]),
  nodeId: z.string().optional(),
  message: z.string(),
});
export type Deviation = z.infer<typeof deviationSchema>;

/** What a drill run measured against its runbook's objectives, and how it went. */
export const drillReportSchema = z.object({
  runId: z.string(),
  runbookId: z.string(),
  runbookTitle: z.string(),
  planHash: z.string(),
  trigger: drillTriggerSchema,
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  status: runStatusSchema,
  /** A rehearsal: actions were recorded, not run, so its figures measure nothing real. */
  dryRun: z.boolean(),
  objectives: objectivesSchema,
  measured: z.object({
    /** From the start of recovery until `recoveredAt` succeeded; null when it did not. */
    recoverySeconds: z.number().nullable(),
    dataLossSeconds: z.number().nullable(),
    /** When the recovery clock started and stopped. */
    recoveryStartedAt: z.string().optional(),
    recoveredAt: z.string().optional(),
  }),
  results: z.array(objectiveResultSchema),
  verdict: drillVerdictSchema,
  timeline: z.array(timelineEntrySchema),
  deviations: z.array(deviationSchema),
});
export type DrillReport = z.infer<typeof drillReportSchema>;

/** One drill in a runbook's history: enough to list it and draw the RTO trend. */
export const drillSummarySchema = z.object({
  runId: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  status: runStatusSchema,
  dryRun: z.boolean(),
  trigger: drillTriggerSchema,
  recoverySeconds: z.number().nullable(),
  dataLossSeconds: z.number().nullable(),
  verdict: drillVerdictSchema,
});
export type DrillSummary = z.infer<typeof drillSummarySchema>;
