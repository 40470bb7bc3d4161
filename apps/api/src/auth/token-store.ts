import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Role, TokenInfo } from '@runwright/runbook';

interface StoredToken extends TokenInfo {
  /** `sha256:<hex>` of the whole token; the token itself is never stored. */
  hash: string;
}

export interface Identity {
  user: string;
  roles: string[];
  tokenId: string;
}

/** Tokens carry 256 random bits, so a fast hash is enough at rest (nothing to brute-force). */
export function hashToken(token: string): string {
  return `sha256:${createHash('sha256').update(token, 'utf8').digest('hex')}`;
}

function publicInfo({ hash: _hash, ...info }: StoredToken): TokenInfo {
  return info;
}

/**
 * API tokens in one JSON file under the data folder (mode 0600, replaced atomically). The file
 * is re-read when its modification time changes, so `runwright token create` run beside a
 * running API takes effect without a restart.
 */
export class TokenStore {
  private tokens: StoredToken[] = [];
  private loadedMtime = -1;

  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    this.reload();
  }

  private reload(): void {
    const mtime = existsSync(this.file) ? statSync(this.file).mtimeMs : 0;
    if (mtime === this.loadedMtime) return;
    this.tokens = mtime === 0 ? [] : (JSON.parse(readFileSync(this.file, 'utf8')) as { tokens: StoredToken[] }).tokens;
    this.loadedMtime = mtime;
  }

  private save(): void {
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify({ tokens: this.tokens }, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, this.file);
    this.loadedMtime = statSync(this.file).mtimeMs;
  }

  /** The identity a presented token acts as, or undefined for an unknown or revoked token. */
  authenticate(token: string): Identity | undefined {
    this.reload();
    const hash = hashToken(token);
    const found = this.tokens.find((t) => t.hash === hash && t.revokedAt === undefined);
    return found && { user: found.user, roles: [...found.roles], tokenId: found.tokenId };
  }

  /** Creates a token; the returned secret is shown once and cannot be recovered. */
  create(request: { user: string; roles: Role[]; description?: string; createdBy: string; token?: string }): TokenInfo & { token: string } {
    this.reload();
    const token = request.token ?? `rw_${randomBytes(32).toString('base64url')}`;
    const stored: StoredToken = {
      tokenId: randomBytes(8).toString('hex'),
      user: request.user,
      roles: [...new Set(request.roles)],
      description: request.description ?? '',
      createdAt: new Date().toISOString(),
      createdBy: request.createdBy,
      hash: hashToken(token),
    };
    this.tokens.push(stored);
    this.save();
    return { ...publicInfo(stored), token };
  }

  list(): TokenInfo[] {
    this.reload();
    return this.tokens.map(publicInfo);
  }

  revoke(tokenId: string): TokenInfo | undefined {
    this.reload();
    const found = this.tokens.find((t) => t.tokenId === tokenId);
    if (!found) return undefined;
    found.revokedAt ??= new Date().toISOString();
    this.save();
    return publicInfo(found);
  }

  /**
   * First start: make sure someone can get in. A token given in the environment is registered
   * as admin `bootstrap`; otherwise, when no active token exists, one is created and returned
   * so that the caller prints it once.
   */
  bootstrap(fromEnvironment: string): { created?: string } {
    this.reload();
    if (fromEnvironment) {
      if (!this.tokens.some((t) => t.hash === hashToken(fromEnvironment) && t.revokedAt === undefined)) {
        this.create({ user: 'bootstrap', roles: ['admin'], description: 'RUNWRIGHT_BOOTSTRAP_TOKEN', createdBy: 'system', token: fromEnvironment });
      }
      return {};
    }
    if (this.tokens.some((t) => t.revokedAt === undefined)) return {};
    return { created: this.create({ user: 'admin', roles: ['admin'], description: 'bootstrap admin token', createdBy: 'system' }).token };
  }
}
