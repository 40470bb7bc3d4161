import { createHash, randomBytes } from 'node:crypto';
import type { Role, TokenInfo } from '@runwright/runbook';
import type { StoredToken, TokenRecords } from '../store/token-records.js';

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
 * API tokens: made here, kept as hashes by the state store. Whatever the backend, a token's
 * secret is shown once, when it is created, and never stored.
 */
export class TokenStore {
  constructor(private readonly records: TokenRecords) {}

  /** The identity a presented token acts as, or undefined for an unknown or revoked token. */
  async authenticate(token: string): Promise<Identity | undefined> {
    const found = await this.records.findActive(hashToken(token));
    return found && { user: found.user, roles: [...found.roles], tokenId: found.tokenId };
  }

  /** Creates a token; the returned secret is shown once and cannot be recovered. */
  async create(request: { user: string; roles: Role[]; description?: string; createdBy: string; token?: string }): Promise<TokenInfo & { token: string }> {
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
    await this.records.add(stored);
    return { ...publicInfo(stored), token };
  }

  async list(): Promise<TokenInfo[]> {
    return (await this.records.list()).map(publicInfo);
  }

  async revoke(tokenId: string): Promise<TokenInfo | undefined> {
    const revoked = await this.records.revoke(tokenId, new Date().toISOString());
    return revoked && publicInfo(revoked);
  }

  /**
   * First start: make sure someone can get in. A token given in the environment is registered
   * as admin `bootstrap`; otherwise, when no active token exists, one is created and returned
   * so that the caller prints it once.
   */
  async bootstrap(fromEnvironment: string): Promise<{ created?: string }> {
    if (fromEnvironment) {
      if (!(await this.records.findActive(hashToken(fromEnvironment)))) {
        await this.create({ user: 'bootstrap', roles: ['admin'], description: 'RUNWRIGHT_BOOTSTRAP_TOKEN', createdBy: 'system', token: fromEnvironment });
      }
      return {};
    }
    if ((await this.records.list()).some((t) => t.revokedAt === undefined)) return {};
    return { created: (await this.create({ user: 'admin', roles: ['admin'], description: 'bootstrap admin token', createdBy: 'system' })).token };
  }
}
