import { useEffect, useState } from 'react';
import { healthSchema, routes, temporalUnreachableMessage } from '@runwright/runbook';
import type { z } from 'zod';
import { onTemporalUnavailable } from './api/client';

type Health = z.infer<typeof healthSchema>;

/** How often the banner asks /healthz; a call failing with `temporal_unavailable` asks at once. */
const pollMs = 5_000;

/** /healthz answers 200 and 503 with the same body; no body (the API itself down) tells nothing about Temporal. */
async function readHealth(): Promise<Health | undefined> {
  try {
    const response = await fetch(routes.health.path, { cache: 'no-store' });
    const parsed = healthSchema.safeParse(await response.json());
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Says once, above every page, that Temporal is unreachable — rather than each call failing on
 * its own — and goes away by itself when /healthz says Temporal answers again.
 */
export function TemporalBanner() {
  const [health, setHealth] = useState<Health>();
  useEffect(() => {
    let cancelled = false;
    let checking = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = async () => {
      if (checking) return;
      checking = true;
      clearTimeout(timer);
      const next = await readHealth();
      checking = false;
      if (cancelled) return;
      if (next) setHealth(next);
      timer = setTimeout(check, pollMs);
    };
    void check();
    const unsubscribe = onTemporalUnavailable(() => void check());
    return () => {
      cancelled = true;
      clearTimeout(timer);
      unsubscribe();
    };
  }, []);
  if (!health || health.temporal.reachable) return null;
  return (
    <div className="temporal-banner" role="alert">
      {temporalUnreachableMessage(health.temporal.address)}.
    </div>
  );
}
