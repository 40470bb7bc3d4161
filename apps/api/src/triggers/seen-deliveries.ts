import type { DeliveryRecords } from '../store/delivery-records.js';
import { toleranceSeconds } from './webhook-signature.js';

/**
 * Delivery ids seen within the replay window. A delivery older than the window is refused by
 * its timestamp, so ids need to be kept only that long (twice the tolerance, for clock skew
 * either way).
 */
export class SeenDeliveries {
  constructor(private readonly records: DeliveryRecords) {}

  /** True the first time an id is seen within the window. */
  firstSighting(id: string, now = Date.now()): Promise<boolean> {
    return this.records.firstSighting(id, now, 2 * toleranceSeconds * 1000);
  }
}
