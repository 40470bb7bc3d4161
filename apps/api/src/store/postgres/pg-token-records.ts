import type pg from 'pg';
import type { StoredToken, TokenRecords } from '../token-records.js';
import { inTransaction } from './transaction.js';

/** Token records as rows: looked up by id and hash, the record itself kept whole as JSON. */
export class PgTokenRecords implements TokenRecords {
  constructor(private readonly pool: pg.Pool) {}

  async list(): Promise<StoredToken[]> {
    const { rows } = await this.pool.query<{ record: StoredToken }>('SELECT record FROM runwright.tokens ORDER BY position');
    return rows.map((row) => row.record);
  }

  async findActive(hash: string): Promise<StoredToken | undefined> {
    const { rows } = await this.pool.query<{ record: StoredToken }>(
      "SELECT record FROM runwright.tokens WHERE hash = $1 AND record->>'revokedAt' IS NULL ORDER BY position LIMIT 1",
      [hash],
    );
    return rows[0]?.record;
  }

  async add(token: StoredToken): Promise<void> {
    await this.pool.query('INSERT INTO runwright.tokens (token_id, hash, record) VALUES ($1, $2, $3)', [token.tokenId, token.hash, JSON.stringify(token)]);
  }

  revoke(tokenId: string, at: string): Promise<StoredToken | undefined> {
    // Read and written under the row's lock, so a revocation racing another change loses neither.
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ record: StoredToken }>('SELECT record FROM runwright.tokens WHERE token_id = $1 FOR UPDATE', [tokenId]);
      const current = rows[0]?.record;
      if (!current) return undefined;
      const revoked: StoredToken = { ...current, revokedAt: current.revokedAt ?? at };
      await client.query('UPDATE runwright.tokens SET hash = $2, record = $3 WHERE token_id = $1', [tokenId, revoked.hash, JSON.stringify(revoked)]);
      return revoked;
    });
  }
}
