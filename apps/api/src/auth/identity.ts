import type { Request } from 'express';

export interface Identity {
  user: string;
  roles: string[];
}

/**
 * Who is calling. Token authentication with roles is not built yet: until it is, every caller
 * is treated as an admin and names itself with the X-Runwright-User header. Keep the API on
 * loopback (the default) until then.
 */
export function identify(request: Request): Identity {
  const user = request.get('x-runwright-user')?.trim() || 'local-operator';
  return { user, roles: ['admin'] };
}
