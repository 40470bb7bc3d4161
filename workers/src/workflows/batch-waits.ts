/**
 * The run's picture of its forEach batches, to tell whether a rollout is only waiting for people.
 * Items run in batch child workflows the run cannot query; what it does see is each item
 * checkpoint opened in its inbox, which items a batch had finished when it asked (carried on the
 * request), and a notice when an item finishes while the batch has checkpoints waiting here.
 * A batch is idle when every item that can hold a lane (at most `lanes` run at once) is waiting
 * at one: then nothing runs, as with a run parked at a top-level checkpoint.
 * Known limit: an item whose own sub-graph runs an action in parallel with its waiting checkpoint
 * counts as waiting; so does, the other way round, nothing of a forEach nested in an item.
 */
export class BatchWaits {
  private readonly batches = new Map<string, { forEachId: string; keys: string[]; lanes: number; settled: Set<string> }>();
  /** Open requests: which batch asked, for which item. */
  private readonly waiting = new Map<string, { batch: string; key: string }>();

  started(batch: string, forEach: { forEachId: string; keys: string[]; lanes: number }): void {
    this.batches.set(batch, { ...forEach, settled: new Set() });
  }

  ended(batch: string): void {
    this.batches.delete(batch);
  }

  settled(batch: string, keys: readonly string[]): void {
    const known = this.batches.get(batch);
    for (const key of keys) known?.settled.add(key);
  }

  asked(requestId: string, batch: string, key: string): void {
    this.waiting.set(requestId, { batch, key });
  }

  answered(requestId: string): void {
    this.waiting.delete(requestId);
  }

  /** True while the forEach's current batch has nothing running and at least one item waiting for a person. */
  onlyWaiting(forEachId: string): boolean {
    for (const [batch, known] of this.batches) {
      if (known.forEachId !== forEachId) continue;
      const active = known.keys.filter((key) => !known.settled.has(key));
      const waitingKeys = new Set([...this.waiting.values()].filter((w) => w.batch === batch && !known.settled.has(w.key)).map((w) => w.key));
      if (waitingKeys.size === 0 || waitingKeys.size < Math.min(known.lanes, active.length)) return false;
    }
    return [...this.batches.values()].some((known) => known.forEachId === forEachId);
  }
}
