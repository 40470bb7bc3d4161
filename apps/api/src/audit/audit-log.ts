import { createHash } from 'node:crypto';
import { canonicalJson, type AuditRecord } from '@runwright/runbook';
import type { AuditChain } from '../store/audit-chain.js';

export type AuditEntry = Omit<AuditRecord, 'seq' | 'at' | 'prevHash' | 'hash'>;

const genesis = `sha256:${'0'.repeat(64)}`;

function hashOf(record: Omit<AuditRecord, 'hash'>): string {
  return `sha256:${createHash('sha256').update(canonicalJson(record), 'utf8').digest('hex')}`;
}

/** The record that follows `last`: numbered after it and hashed over its content and `last`'s hash. */
function chainedRecord(entry: AuditEntry, last: AuditRecord | undefined): AuditRecord {
  const unhashed: Omit<AuditRecord, 'hash'> = { seq: (last?.seq ?? 0) + 1, at: new Date().toISOString(), ...entry, prevHash: last?.hash ?? genesis };
  return { ...unhashed, hash: hashOf(unhashed) };
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
 * Append-only audit log: each record chained to the one before by hash, so editing, removing or
 * reordering a record is detected by `checkChain`. The state store keeps the records and
 * serialises appends; the chaining is done here, the same for every backend.
 */
export class AuditLog {
  constructor(private readonly chain: AuditChain) {}

  append(entry: AuditEntry): Promise<AuditRecord> {
    return this.chain.append((last) => chainedRecord(entry, last));
  }

  read(): Promise<AuditRecord[]> {
    return this.chain.read();
  }
}
