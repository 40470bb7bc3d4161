import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { Runbook } from './runbook.js';

/** JSON with object keys sorted, so equal documents serialise to equal strings. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Identifies a runbook version by what it executes: the layout (positions, notes) is left
 * out, so moving nodes in the editor never makes a new version.
 */
export function planHash(runbook: Runbook): string {
  const { layout: _layout, ...executable } = runbook;
  return `sha256:${bytesToHex(sha256(utf8ToBytes(canonicalJson(executable))))}`;
}
