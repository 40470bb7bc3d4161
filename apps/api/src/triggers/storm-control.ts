import { durationToMs, type AlertLimits } from '@runwright/runbook';

/** Runs this process started lately count as running until visibility has had time to show them. */
const visibilityGraceMs = 30_000;

/** What Temporal visibility shows of a runbook's alert-started runs, by run id. */
export interface VisibleAlertRuns {
  running: readonly string[];
  /** Started within the rate window, whatever their status now. */
  startedInWindow: readonly string[];
  /** Of those, the ones visibility already shows closed. */
  closed: readonly string[];
}

/**
 * Per-runbook storm control for alert-started runs: a maximum of concurrent runs and a rate
 * limit over a window (the breaker). Both count through Temporal visibility, so API replicas
 * agree; because visibility lags a start by a moment, the runs this process started lately
 * count too (a floor), and decisions for one runbook are taken one at a time in a process, so
 * a burst of alerts cannot all pass the same check together. Two replicas deciding in the
 * same instant can each let one run through before either sees the other's.
 */
export class StormControl {
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Per runbook: run id → when this process started it. */
  private readonly starts = new Map<string, Map<string, number>>();

  /** Runs `work` after every earlier decision for this runbook has finished. */
  serialise<T>(runbookId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(runbookId) ?? Promise.resolve();
    const next = previous.then(work, work);
    this.queues.set(runbookId, next.catch(() => undefined));
    return next;
  }

  /** Why a new run may not start now, or undefined when it may. */
  refusal(runbookId: string, limits: AlertLimits, visible: VisibleAlertRuns, now = Date.now()): string | undefined {
    const windowMs = durationToMs(limits.window);
    const mine = this.starts.get(runbookId) ?? new Map<string, number>();
    for (const [id, at] of mine) if (now - at > Math.max(windowMs, visibilityGraceMs)) mine.delete(id);
    const closed = new Set(visible.closed);
    const recentlyMine = [...mine].filter(([id, at]) => now - at <= visibilityGraceMs && !closed.has(id)).map(([id]) => id);
    const running = new Set([...visible.running, ...recentlyMine]).size;
    if (running >= limits.maxConcurrent) {
      return `${running} alert-started runs of this runbook are running (maxConcurrent ${limits.maxConcurrent})`;
    }
    const mineInWindow = [...mine].filter(([, at]) => now - at < windowMs).map(([id]) => id);
    const inWindow = new Set([...visible.startedInWindow, ...mineInWindow]).size;
    if (inWindow >= limits.maxStarts) {
      return `breaker open: ${inWindow} alert-started runs in the last ${limits.window} (maxStarts ${limits.maxStarts})`;
    }
    return undefined;
  }

  recordStart(runbookId: string, runId: string, now = Date.now()): void {
    const mine = this.starts.get(runbookId) ?? new Map<string, number>();
    mine.set(runId, now);
    this.starts.set(runbookId, mine);
  }
}
