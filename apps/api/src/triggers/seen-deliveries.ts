import { toleranceSeconds } from './webhook-signature.js';

/**
 * Delivery ids seen within the replay window. A delivery older than the window is refused by
 * its timestamp, so ids need to be kept only that long. Per process; across API replicas the
 * run id derived from the delivery id still makes a replay join instead of starting a run.
 */
export class SeenDeliveries {
  private readonly seen = new Map<string, number>();

  /** True the first time an id is seen within the window. */
  firstSighting(id: string, now = Date.now()): boolean {
    for (const [key, at] of this.seen) if (now - at > 2 * toleranceSeconds * 1000) this.seen.delete(key);
    if (this.seen.has(id)) return false;
    this.seen.set(id, now);
    return true;
  }
}
