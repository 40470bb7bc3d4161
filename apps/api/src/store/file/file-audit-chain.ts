import { appendFile, readFile } from 'node:fs/promises';
import type { AuditRecord } from '@runwright/runbook';
import type { AuditChain } from '../audit-chain.js';
import { WorkQueue } from './work-queue.js';

/** A line that is not JSON any more was tampered with; it is kept, so the chain check fails there. */
function unreadable(line: number): AuditRecord {
  return { seq: -1, at: '', actor: { user: '', via: 'system' }, from: {}, action: 'unreadable', target: { line: String(line) }, outcome: 'unreadable', prevHash: '', hash: '' };
}

/**
 * The audit chain as a JSON-lines file (mode 0600), appended to and never rewritten. Appends are
 * serialised within the process and the last record is remembered between them; the API is the
 * file's only writer (`runwright token create --offline` writes no audit record).
 */
export class FileAuditChain implements AuditChain {
  private readonly queue = new WorkQueue();
  /** The last record written; read from the file before the first append. */
  private last: { record: AuditRecord | undefined } | undefined;

  constructor(private readonly file: string) {}

  append(next: (last: AuditRecord | undefined) => AuditRecord): Promise<AuditRecord> {
    return this.queue.run('', async () => {
      this.last ??= { record: (await this.read()).at(-1) };
      const record = next(this.last.record);
      await appendFile(this.file, `${JSON.stringify(record)}\n`, { mode: 0o600 });
      // Only once written: a failed write must not leave the next record chained to one that is not there.
      this.last = { record };
      return record;
    });
  }

  async read(): Promise<AuditRecord[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line, index) => {
        try {
          return JSON.parse(line) as AuditRecord;
        } catch {
          return unreadable(index + 1);
        }
      });
  }
}
