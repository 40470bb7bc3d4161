import { durationToMs, type AlertLimits } from '@runwright/runbook';

/** Runs this process started lately count as running until visibility has had time to show them. */
const visibilityGraceMs = 30_000;

/**
 * Per-runbook storm control for alert-started runs: a maximum of concurrent runs and a rate
 * limit over a window (the breaker). Decisions for one runbook are taken one at a time, so a
 * burst of alerts cannot all pass the same check together. The start history is per process;
 * with several API replicas each enforces the rate on its own share.
 */
export class StormControl {
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly starts = new Map<string, number[]>();
  private readonly recent = new Map<string, Map<string, number>>();

  /** Runs `work` after every earlier decision for this runbook has finished. */
  serialise<T>(runbookId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(runbookId) ?? Promise.resolve();
    const next = previous.then(work, work);
    this.queues.set(runbookId, next.catch(() => undefined));
    return next;
  }

  /** Why a new run may not start now, or undefined when it may. */
  refusal(runbookId: string, limits: AlertLimits, visibleRunning: readonly string[], now = Date.now()): string | undefined {
    const recent = this.recent.get(runbookId) ?? new Map<string, number>();
    for (const [id, at] of recent) if (now - at > visibilityGraceMs) recent.delete(id);
    const running = new Set([...visibleRunning, ...recent.keys()]).size;
    if (running >= limits.maxConcurrent) {
      return `${running} alert-started runs of this runbook are running (maxConcurrent ${limits.maxConcurrent})`;
    }
    const windowMs = durationToMs(limits.window);
    const inWindow = (this.starts.get(runbookId) ?? []).filter((at) => now - at < windowMs);
    this.starts.set(runbookId, inWindow);
    if (inWindow.length >= limits.maxStarts) {
      return `breaker open: ${inWindow.length} alert-started runs in the last ${limits.window} (maxStarts ${limits.maxStarts})`;
    }
    return undefined;
  }

  recordStart(runbookId: string, runId: string, now = Date.now()): void {
    this.starts.set(runbookId, [...(this.starts.get(runbookId) ?? []), now]);
    const recent = this.recent.get(runbookId) ?? new Map<string, number>();
    recent.set(runId, now);
    this.recent.set(runbookId, recent);
  }
}
