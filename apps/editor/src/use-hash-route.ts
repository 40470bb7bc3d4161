import { useEffect, useState } from 'react';

/** Asked before the page changes; `false` keeps the current page (unsaved changes). */
type LeaveGuard = () => boolean;
let leaveGuard: LeaveGuard | undefined;

/** Installs the guard of the page shown now; returns the function that removes it. */
export function guardLeaving(guard: LeaveGuard): () => void {
  leaveGuard = guard;
  return () => {
    if (leaveGuard === guard) leaveGuard = undefined;
  };
}

/** The part of the URL after `#`, kept in state: `#/runs/abc` → `/runs/abc`. */
export function useHashRoute(): string {
  const read = () => window.location.hash.replace(/^#/, '') || '/';
  const [route, setRoute] = useState(read);
  useEffect(() => {
    let shown = window.location.hash;
    // The address may have changed between the first render and now.
    setRoute(read());
    const onChange = () => {
      if (window.location.hash === shown) return;
      if (leaveGuard && !leaveGuard()) {
        // Put the address back; the page never left.
        window.history.replaceState(null, '', shown || '#/');
        return;
      }
      shown = window.location.hash;
      setRoute(read());
    };
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export function navigate(route: string): void {
  window.location.hash = route;
}
