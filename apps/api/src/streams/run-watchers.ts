import type { RunView } from '@runwright/runbook';
import type { Logger } from 'pino';
import { ApiError } from '../http/api-error.js';

/** One follower of a run: told each new state (as JSON text) and, once, that the run closed. */
export interface RunSubscriber {
  state(json: string): void;
  end(): void;
}

export interface RunReading {
  view: RunView;
  /** False once Temporal reports the run closed (completed, failed, cancelled, terminated…). */
  running: boolean;
}

interface Watch {
  subscribers: Set<RunSubscriber>;
  timer?: NodeJS.Timeout;
}

/**
 * Follows runs for the run stream: one poller per run, shared by every subscriber, so a wall
 * of screens on one run costs Temporal one query per interval. The poller stops when the last
 * subscriber leaves or the run closes.
 */
export class RunWatchers {
  private readonly watches = new Map<string, Watch>();

  constructor(
    private readonly read: (runId: string) => Promise<RunReading>,
    private readonly pollMs: number,
    private readonly log: Logger,
  ) {}

  /** Pollers running now (one per followed run), for `/metrics`. */
  get pollers(): number {
    return this.watches.size;
  }

  get subscribers(): number {
    let count = 0;
    for (const watch of this.watches.values()) count += watch.subscribers.size;
    return count;
  }

  /** Adds a subscriber to the run's poller (starting it if needed); returns how to leave. */
  subscribe(runId: string, subscriber: RunSubscriber): () => void {
    let watch = this.watches.get(runId);
    if (!watch) {
      watch = { subscribers: new Set() };
      this.watches.set(runId, watch);
      this.schedule(runId, watch);
    }
    watch.subscribers.add(subscriber);
    return () => {
      watch.subscribers.delete(subscriber);
      if (watch.subscribers.size === 0) this.stop(runId, watch);
    };
  }

  private stop(runId: string, watch: Watch): void {
    clearTimeout(watch.timer);
    if (this.watches.get(runId) === watch) this.watches.delete(runId);
  }

  private schedule(runId: string, watch: Watch): void {
    // A timeout after each read, not an interval: a slow Temporal never gets overlapping queries.
    watch.timer = setTimeout(() => void this.poll(runId, watch), this.pollMs);
  }

  private async poll(runId: string, watch: Watch): Promise<void> {
    let reading: RunReading;
    try {
      reading = await this.read(runId);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        this.finish(runId, watch);
        return;
      }
      // Temporal away for a moment: keep following, subscribers keep their last state.
      this.log.warn({ err: error, runId }, 'run stream: could not read the run');
      if (this.watches.get(runId) === watch) this.schedule(runId, watch);
      return;
    }
    if (this.watches.get(runId) !== watch) return;
    const json = JSON.stringify(reading.view);
    for (const subscriber of watch.subscribers) subscriber.state(json);
    if (!reading.running) this.finish(runId, watch);
    else this.schedule(runId, watch);
  }

  private finish(runId: string, watch: Watch): void {
    this.stop(runId, watch);
    for (const subscriber of [...watch.subscribers]) subscriber.end();
    watch.subscribers.clear();
  }
}
