import type { Connection } from '@temporalio/client';

/** The health check's deadline: long enough for a loaded server, short enough that /healthz answers promptly. */
const probeDeadlineMs = 3_000;
/** A probe younger than this answers for an error that needs one (see `unreachableKind`). */
const freshMs = 5_000;
/** For this long after Temporal was found unreachable, calls get the probe's deadline (`knownDown`). */
const downWindowMs = 10_000;

/**
 * Whether the Temporal frontend answers. Without a deadline a check waits out the client's
 * retries (about 18 s against a closed port) or for ever against a server that accepts and never
 * answers; with one, /healthz says "degraded" within seconds. Concurrent probes share one call.
 */
export class TemporalHealth {
  private inFlight: Promise<boolean> | undefined;
  private last: { reachable: boolean; at: number } | undefined;

  constructor(
    private readonly connection: Connection,
    readonly address: string,
  ) {}

  probe(): Promise<boolean> {
    this.inFlight ??= this.connection
      .withDeadline(Date.now() + probeDeadlineMs, () => this.connection.healthService.check({}))
      .then(
        () => true,
        () => false,
      )
      .then((reachable) => {
        this.last = { reachable, at: Date.now() };
        this.inFlight = undefined;
        return reachable;
      });
    return this.inFlight;
  }

  /** The last probe's answer if it is recent, else a new probe's. */
  async reachable(): Promise<boolean> {
    if (this.last && Date.now() - this.last.at < freshMs) return this.last.reachable;
    return this.probe();
  }

  /** A call failed because Temporal could not be reached: as good as a failed probe. */
  recordUnreachable(): void {
    this.last = { reachable: false, at: Date.now() };
  }

  /**
   * Whether Temporal was found unreachable moments ago. Requests then run their Temporal calls
   * under the probe's deadline (app.ts), so each answers 503 in seconds instead of waiting out
   * the client's retries (about 18 s against a closed port) or a silent server for ever. Calls
   * are still made: the first to succeed shows Temporal is back.
   */
  knownDown(): boolean {
    return this.last !== undefined && !this.last.reachable && Date.now() - this.last.at < downWindowMs;
  }

  /** Runs `fn` with the probe's deadline on its Temporal calls while Temporal is known to be down. */
  guard<T>(fn: () => T): T | Promise<T> {
    return this.knownDown() ? this.connection.withDeadline(Date.now() + probeDeadlineMs, async () => fn()) : fn();
  }
}

const grpcStatus = { cancelled: 1, deadlineExceeded: 4, unavailable: 14 } as const;

/**
 * What an error says about reaching Temporal: `unreachable` (the transport failed: UNAVAILABLE),
 * `maybe` (a deadline passed or the call was cancelled — also what a query to a run whose
 * worker is down looks like, so a health probe decides), or `no`. Looks through `cause` chains:
 * the client wraps gRPC errors in its own.
 */
export function unreachableKind(error: unknown): 'unreachable' | 'maybe' | 'no' {
  let verdict: 'maybe' | 'no' = 'no';
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 8; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (code === grpcStatus.unavailable) return 'unreachable';
    if (code === grpcStatus.deadlineExceeded || code === grpcStatus.cancelled) verdict = 'maybe';
    if (/Failed to connect before the deadline/.test(current.message)) verdict = 'maybe';
  }
  return verdict;
}
