import { createContext, useContext, useEffect, useState } from 'react';
import { allows, type Access } from '@runwright/runbook';
import { api, storedToken } from '../api/client';

export interface Identity {
  user: string;
  roles: string[];
}

/**
 * Who the stored token acts as. `null` while unknown or when this API has no sign-in: then
 * nothing is hidden, and the API itself refuses what it must.
 */
export function useIdentityLookup(route: string): Identity | null {
  const [identity, setIdentity] = useState<Identity | null>(null);
  useEffect(() => {
    if (!storedToken()) {
      setIdentity(null);
      return;
    }
    api.whoAmI().then(
      (me) => setIdentity(me ? { user: me.user, roles: me.roles } : null),
      () => setIdentity(null),
    );
    // Re-read after signing in or out (both change the route).
  }, [route]);
  return identity;
}

export const IdentityContext = createContext<Identity | null>(null);

/** Whether the signed-in role may do what a route demands; what it may not do is not offered. */
export function useCan(access: Access): boolean {
  const identity = useContext(IdentityContext);
  return identity === null || allows(access, identity.roles);
}
