import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { canonicalJson, type AuditRecord } from '@runwright/runbook';

export type AuditEntry = Omit<AuditRecord, 'seq' | 'at' | 'prevHash' | 'hash'>;

const genesis = `sha256:${'0'.repeat(64)}`;

function hashOf(record: Omit<AuditRecord, 'hash'>): string {
  return `sha256:${createHash('sha256').update(canonicalJson(record), 'utf8').digest('hex')}`;
}

export interface ChainCheck {
  ok: boolean;
  records: number;
  brokenAt?: number;
  message?: string;
}

/** Walks the chain: each record's hash must cover its content and its predecessor's hash. */
export function checkChain(records: AuditRecord[]): ChainCheck {
  let prevHash = genesis;
  for (const [index, record] of records.entries()) {
    const { hash, ...rest } = record;
    const broken = (message: string): ChainCheck => ({ ok: false, records: records.length, brokenAt: index + 1, message });
    if (record.seq !== index + 1) return broken(`record ${index + 1} has sequence number ${record.seq}`);
    if (record.prevHash !== prevHash) return broken(`record ${record.seq} does not follow the record before it`);
    if (hashOf(rest) !== hash) return broken(`record ${record.seq} was changed after it was written`);
    prevHash = hash;
  }
  return { ok: true, records: records.length };
}

/**
 * Append-only audit log: one JSON record per line, each chained to the one before by hash, so
 * editing, removing or reordering a record is detected by `checkChain`. Appends are serialised
 * within the process; the API is the only writer.
 */
export class AuditLog {
  private seq = 0;
  private lastHash = genesis;
  private writing: Promise<unknown> = Promise.resolve();

  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const last = this.read().at(-1);
    if (last) {
      this.seq = last.seq;
      this.lastHash = last.hash;
    }
  }

  append(entry: AuditEntry): Promise<AuditRecord> {
    const unhashed: Omit<AuditRecord, 'hash'> = { seq: ++this.seq, at: new Date().toISOString(), ...entry, prevHash: this.lastHash };
    const record: AuditRecord = { ...unhashed, hash: hashOf(unhashed) };
    this.lastHash = record.hash;
    const written = this.writing.then(() => appendFile(this.file, `${JSON.stringify(record)}\n`, { mode: 0o600 }));
    this.writing = written.catch(() => undefined);
    return written.then(() => record);
  }

  read(): AuditRecord[] {
    if (!existsSync(this.file)) return [];
    return readFileSync(this.file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line, index) => {
        try {
          return JSON.parse(line) as AuditRecord;
        } catch {
          // A line that is not JSON any more was tampered with; keep it so the chain check fails there.
          return { seq: -1, at: '', actor: { user: '', via: 'system' }, from: {}, action: 'unreadable', target: { line: String(index + 1) }, outcome: 'unreadable', prevHash: '', hash: '' };
        }
      });
  }
}
