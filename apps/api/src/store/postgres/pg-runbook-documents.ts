import type pg from 'pg';
import type { ArchivedRunbook, RunbookDocuments, RunbookText } from '../runbook-documents.js';
import { inTransaction } from './transaction.js';

const idPattern = /^[a-z0-9][a-z0-9-]*$/;

/**
 * Runbooks as rows, one per id, under the file name they would have in `runbooks/` (so export
 * writes them back as the same files). Archived ones move to their own table, nothing deleted.
 */
export class PgRunbookDocuments implements RunbookDocuments {
  constructor(
    private readonly pool: pg.Pool,
    readonly location: string,
  ) {}

  async list(): Promise<RunbookText[]> {
    // Byte order, like the file backend's sorted file names.
    const { rows } = await this.pool.query<RunbookText>('SELECT id, file, source FROM runwright.runbooks ORDER BY file COLLATE "C"');
    return rows;
  }

  async get(id: string): Promise<RunbookText | undefined> {
    const { rows } = await this.pool.query<RunbookText>('SELECT id, file, source FROM runwright.runbooks WHERE id = $1', [id]);
    return rows[0];
  }

  async create(id: string, source: string): Promise<string | undefined> {
    if (!idPattern.test(id)) throw new Error(`"${id}" cannot name a runbook`);
    const { rows } = await this.pool.query<{ file: string }>(
      'INSERT INTO runwright.runbooks (id, file, source) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING RETURNING file',
      [id, `${id}.yaml`, source],
    );
    return rows[0]?.file;
  }

  async replace(id: string, source: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ file: string }>('UPDATE runwright.runbooks SET source = $2, changed_at = now() WHERE id = $1 RETURNING file', [id, source]);
    return rows[0]?.file;
  }

  archive(id: string, stamp: string): Promise<string | undefined> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ file: string; source: string }>('DELETE FROM runwright.runbooks WHERE id = $1 RETURNING file, source', [id]);
      const removed = rows[0];
      if (!removed) return undefined;
      // The name the file backend would give it, so an archive reads the same whichever backend kept it.
      const archivedAs = `.archive/${removed.file.replace(/(\.ya?ml)$/, `.${stamp}$1`)}`;
      await client.query('INSERT INTO runwright.archived_runbooks (archived_as, id, source) VALUES ($1, $2, $3)', [archivedAs, id, removed.source]);
      return archivedAs;
    });
  }

  async listArchived(): Promise<ArchivedRunbook[]> {
    const { rows } = await this.pool.query<ArchivedRunbook>('SELECT id, archived_as AS "archivedAs", source FROM runwright.archived_runbooks ORDER BY archived_as COLLATE "C"');
    return rows;
  }

  async keepArchived(archived: ArchivedRunbook): Promise<void> {
    await this.pool.query('INSERT INTO runwright.archived_runbooks (archived_as, id, source) VALUES ($1, $2, $3)', [archived.archivedAs, archived.id, archived.source]);
  }
}
