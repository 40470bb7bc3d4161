import { apiErrors, type Runbook } from '@runwright/runbook';
import { ApiError } from '../http/api-error.js';
import type { Identity } from './token-store.js';

/**
 * A runbook with owners may be started or changed only by them. Admins are let through so a
 * runbook whose owners left the team can still be repaired through the API.
 */
export function assertMayOperate(identity: Identity, runbook: Pick<Runbook, 'id' | 'owners'>): void {
  if (runbook.owners.length === 0 || identity.roles.includes('admin') || runbook.owners.includes(identity.user)) return;
  throw new ApiError(403, apiErrors.forbidden, `runbook "${runbook.id}" is owned by ${runbook.owners.join(', ')}; ${identity.user} may not operate it`);
}
