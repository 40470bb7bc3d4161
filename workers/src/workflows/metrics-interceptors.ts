// Workflow interceptors for metrics: runs finish inside the worker, so only the workflow knows
// how one ended. Deterministic like every workflow file: it reports through a sink, which the
// worker calls outside the sandbox and never while replaying history (no double counting).
import {
  ContinueAsNew,
  isCancellation,
  proxySinks,
  workflowInfo,
  type Next,
  type Sinks,
  type WorkflowExecuteInput,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptorsFactory,
} from '@temporalio/workflow';
import { runProtocol, type RunInput } from '@runwright/runbook';

export type RunOutcome = 'succeeded' | 'failed' | 'cancelled';

export interface RunFinished {
  runbookId: string;
  trigger: string;
  outcome: RunOutcome;
}

export interface RunMetricsSinks extends Sinks {
  runMetrics: {
    runFinished(event: RunFinished): void;
  };
}

const { runMetrics } = proxySinks<RunMetricsSinks>();

class RunMetricsInbound implements WorkflowInboundCallsInterceptor {
  async execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    // Locks, batch children and other helper workflows are not runs.
    if (workflowInfo().workflowType !== runProtocol.workflowType) return next(input);
    const run = input.args[0] as Partial<RunInput> | undefined;
    const report = (outcome: RunOutcome) =>
      runMetrics.runFinished({ runbookId: run?.runbook?.id ?? 'unknown', trigger: run?.trigger?.type ?? 'unknown', outcome });
    try {
      const result = await next(input);
      report('succeeded');
      return result;
    } catch (error) {
      // Continuing as new is the same run going on, not an ending.
      if (!(error instanceof ContinueAsNew)) report(isCancellation(error) ? 'cancelled' : 'failed');
      throw error;
    }
  }
}

export const interceptors: WorkflowInterceptorsFactory = () => ({ inbound: [new RunMetricsInbound()] });
