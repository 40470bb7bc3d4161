import type pg from 'pg';
import type { AuditRecord } from '@runwright/runbook';
import type { AuditChain } from '../audit-chain.js';
import { advisoryLocks } from './locks.js';
import { inTransaction } from './transaction.js';

/**
 * The audit chain as rows keyed by sequence number. An append reads the last record and writes
 * the next in one transaction holding a transaction advisory lock, so appends from every API
 * replica take turns and each builds on the record really last; the primary key on `seq` would
 * refuse a second record built on the same last one even without the lock.
 */
export class PgAuditChain implements AuditChain {
  constructor(private readonly pool: pg.Pool) {}

  append(next: (last: AuditRecord | undefined) => AuditRecord): Promise<AuditRecord> {
    return inTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [advisoryLocks.audit]);
      const { rows } = await client.query<{ record: AuditRecord }>('SELECT record FROM runwright.audit ORDER BY seq DESC LIMIT 1');
      const record = next(rows[0]?.record);
      await client.query('INSERT INTO runwright.audit (seq, record) VALUES ($1, $2)', [record.seq, JSON.stringify(record)]);
      return record;
    });
  }

  async read(): Promise<AuditRecord[]> {
    const { rows } = await this.pool.query<{ record: AuditRecord }>('SELECT record FROM runwright.audit ORDER BY seq');
    return rows.map((row) => row.record);
  }
}
