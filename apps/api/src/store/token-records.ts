import type { TokenInfo } from '@runwright/runbook';

/** A token as stored: what anyone may see of it, plus the hash a presented token is checked against. */
export interface StoredToken extends TokenInfo {
  /** The token's hash (made by `auth/token-store.ts`); the token itself is never stored. */
  hash: string;
}

/**
 * API token records. A backend keeps them and finds them; hashing, ids and the bootstrap rule
 * live in `TokenStore`, the same for every backend.
 */
export interface TokenRecords {
  list(): Promise<StoredToken[]>;
  /** The unrevoked token with this hash. A revoked token's hash may come back on a new record (the bootstrap token). */
  findActive(hash: string): Promise<StoredToken | undefined>;
  add(token: StoredToken): Promise<void>;
  /** Marks a token revoked as of `at`, keeping the first date if it was revoked before; undefined when no token has this id. */
  revoke(tokenId: string, at: string): Promise<StoredToken | undefined>;
}
