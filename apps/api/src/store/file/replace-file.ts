import { renameSync, writeFileSync } from 'node:fs';

/**
 * Replaces a small file at once: written beside it (readable by the API's user only), then
 * renamed over it, so a reader sees the old text or the new, never half. Synchronous on
 * purpose: a read-change-write of such a file then cannot interleave with another in the process.
 */
export function replaceFileSync(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { mode: 0o600 });
  renameSync(temporary, file);
}
