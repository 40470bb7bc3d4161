import { z } from 'zod';

/** The roles an API token can hold; a token may hold several. */
export const roleSchema = z.enum(['viewer', 'operator', 'approver', 'admin']);
export type Role = z.infer<typeof roleSchema>;

/**
 * What a route demands of its caller. `public` needs no token (health, metrics); `webhook`
 * routes authenticate their sender their own way (bearer receiver token, HMAC signature).
 */
export type Access = 'public' | 'webhook' | 'read' | 'run' | 'edit' | 'decide' | 'admin';

/** Which roles satisfy each access level: one table, used by the server and its tests. */
export const rolesFor: Record<Exclude<Access, 'public' | 'webhook'>, readonly Role[]> = {
  read: ['viewer', 'operator', 'approver', 'admin'],
  run: ['operator', 'admin'],
  /** Create, change and archive runbook files (per-runbook owners narrow it further). */
  edit: ['operator', 'admin'],
  decide: ['approver', 'admin'],
  admin: ['admin'],
};

export function allows(access: Access, roles: readonly string[]): boolean {
  if (access === 'public') return true;
  if (access === 'webhook') return false;
  return rolesFor[access].some((role) => roles.includes(role));
}
