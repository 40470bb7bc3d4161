/** Webhook delivery ids seen lately, for replay protection. */
export interface DeliveryRecords {
  /**
   * Records `id` as seen at `now` (ms since the epoch) and answers true, unless it was seen
   * within the `windowMs` before `now`: then false. Ids seen earlier may be forgotten.
   */
  firstSighting(id: string, now: number, windowMs: number): Promise<boolean>;
}
