import type { DeliveryRecords } from '../delivery-records.js';

/**
 * Delivery ids in memory: with one API process that is enough, since a delivery older than the
 * replay window is refused by its timestamp anyway. (Across replicas the run id derived from the
 * delivery id still makes a replay join its run instead of starting another.)
 */
export class MemoryDeliveries implements DeliveryRecords {
  private readonly seen = new Map<string, number>();

  async firstSighting(id: string, now: number, windowMs: number): Promise<boolean> {
    for (const [key, at] of this.seen) if (now - at > windowMs) this.seen.delete(key);
    if (this.seen.has(id)) return false;
    this.seen.set(id, now);
    return true;
  }
}
