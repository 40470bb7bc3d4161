import type pg from 'pg';
import type { RunbookVersionRecords, VersionEntry } from '../runbook-version-records.js';
import { advisoryLocks } from './locks.js';
import { inTransaction } from './transaction.js';

/**
 * Versions as rows: the per-runbook list of saves in order, and each text once per runbook under
 * its hash. A save takes the runbook's transaction advisory lock, so two replicas saving the same
 * text make one version; the (runbook, position) key refuses a second entry at one position.
 */
export class PgRunbookVersions implements RunbookVersionRecords {
  constructor(private readonly pool: pg.Pool) {}

  async list(runbookId: string): Promise<VersionEntry[]> {
    const { rows } = await this.pool.query<{ entry: VersionEntry }>('SELECT entry FROM runwright.runbook_versions WHERE runbook_id = $1 ORDER BY position', [runbookId]);
    return rows.map((row) => row.entry);
  }

  appendUnlessLatest(runbookId: string, entry: VersionEntry, source: string): Promise<VersionEntry> {
    return inTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1::integer, hashtext($2))', [advisoryLocks.runbookVersions, runbookId]);
      const { rows } = await client.query<{ position: number; version_hash: string; entry: VersionEntry }>(
        'SELECT position, version_hash, entry FROM runwright.runbook_versions WHERE runbook_id = $1 ORDER BY position DESC LIMIT 1',
        [runbookId],
      );
      const latest = rows[0];
      if (latest?.version_hash === entry.versionHash) return latest.entry;
      await client.query('INSERT INTO runwright.runbook_sources (runbook_id, version_hash, source) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [runbookId, entry.versionHash, source]);
      await client.query('INSERT INTO runwright.runbook_versions (runbook_id, position, version_hash, entry) VALUES ($1, $2, $3, $4)', [
        runbookId,
        (latest?.position ?? 0) + 1,
        entry.versionHash,
        JSON.stringify(entry),
      ]);
      return entry;
    });
  }

  async source(runbookId: string, versionHash: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ source: string }>('SELECT source FROM runwright.runbook_sources WHERE runbook_id = $1 AND version_hash = $2', [runbookId, versionHash]);
    return rows[0]?.source;
  }

  async runbookIds(): Promise<string[]> {
    const { rows } = await this.pool.query<{ runbook_id: string }>('SELECT runbook_id FROM runwright.runbook_versions GROUP BY runbook_id ORDER BY runbook_id COLLATE "C"');
    return rows.map((row) => row.runbook_id);
  }
}
