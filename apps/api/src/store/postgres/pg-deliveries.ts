import type pg from 'pg';
import type { DeliveryRecords } from '../delivery-records.js';

/** How often a process clears ids past their window; between clearances they are only a few rows more. */
const purgeEveryMs = 60_000;

/**
 * Seen delivery ids shared by every replica, so a replayed delivery is refused whichever replica
 * it reaches. One statement decides: the insert wins for a new id, the conditional update for an
 * id whose sighting is older than the window, and a concurrent second sighting waits on the
 * first's row and then finds it fresh.
 */
export class PgDeliveries implements DeliveryRecords {
  private purgedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly pool: pg.Pool) {}

  async firstSighting(id: string, now: number, windowMs: number): Promise<boolean> {
    if (now - this.purgedAt >= purgeEveryMs) {
      this.purgedAt = now;
      await this.pool.query('DELETE FROM runwright.deliveries WHERE seen_at < $1::bigint', [now - windowMs]);
    }
    const { rowCount } = await this.pool.query(
      `INSERT INTO runwright.deliveries AS seen (id, seen_at) VALUES ($1, $2::bigint)
       ON CONFLICT (id) DO UPDATE SET seen_at = EXCLUDED.seen_at WHERE seen.seen_at < $3::bigint`,
      [id, now, now - windowMs],
    );
    return rowCount === 1;
  }
}
