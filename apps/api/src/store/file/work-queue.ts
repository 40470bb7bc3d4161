/**
 * Runs asynchronous work one at a time per key, in the order it was queued: what a file backend
 * uses where a database would take a lock (the audit chain, a runbook's version list).
 */
export class WorkQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const done = (this.tails.get(key) ?? Promise.resolve()).then(work);
    // A failed piece of work fails its caller only; the next one still runs.
    const tail = done.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return done;
  }
}
