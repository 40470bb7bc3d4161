import { existsSync, readFileSync, statSync } from 'node:fs';
import type { StoredToken, TokenRecords } from '../token-records.js';
import { replaceFileSync } from './replace-file.js';

/**
 * Which version of the file was read. The modification time alone can miss a change: the
 * kernel stamps files with a clock that moves in steps of milliseconds; every save is a new
 * file (renamed into place), so its inode and size tell most such changes apart.
 */
function versionOf(file: string): string {
  if (!existsSync(file)) return 'none';
  const { mtimeMs, ino, size } = statSync(file);
  return `${mtimeMs}:${ino}:${size}`;
}

/**
 * API tokens in one JSON file (`{ "tokens": [...] }`, mode 0600, replaced atomically). The file
 * is read again whenever it changed, so `runwright token create --offline` run beside a running
 * API takes effect without a restart.
 */
export class FileTokenRecords implements TokenRecords {
  private tokens: StoredToken[] = [];
  private loadedVersion: string | undefined;

  constructor(private readonly file: string) {}

  private reload(): StoredToken[] {
    const version = versionOf(this.file);
    if (version !== this.loadedVersion) {
      this.tokens = version === 'none' ? [] : (JSON.parse(readFileSync(this.file, 'utf8')) as { tokens: StoredToken[] }).tokens;
      this.loadedVersion = version;
    }
    return this.tokens;
  }

  private save(): void {
    replaceFileSync(this.file, `${JSON.stringify({ tokens: this.tokens }, null, 2)}\n`);
    this.loadedVersion = versionOf(this.file);
  }

  // Copies go out, so that no caller can change the records behind the file's back.
  async list(): Promise<StoredToken[]> {
    return structuredClone(this.reload());
  }

  async findActive(hash: string): Promise<StoredToken | undefined> {
    const found = this.reload().find((t) => t.hash === hash && t.revokedAt === undefined);
    return found && structuredClone(found);
  }

  async add(token: StoredToken): Promise<void> {
    this.reload().push(structuredClone(token));
    this.save();
  }

  async revoke(tokenId: string, at: string): Promise<StoredToken | undefined> {
    const found = this.reload().find((t) => t.tokenId === tokenId);
    if (!found) return undefined;
    found.revokedAt ??= at;
    this.save();
    return structuredClone(found);
  }
}
