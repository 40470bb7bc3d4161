import { useEffect, useState } from 'react';

/** Calls `load` now and every `intervalMs` until `done` says the value is final. */
export function usePolling<T>(load: () => Promise<T>, intervalMs: number, done: (value: T) => boolean, key: string) {
  const [value, setValue] = useState<T>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const next = await load();
        if (cancelled) return;
        setValue(next);
        setError(undefined);
        if (done(next)) return;
      } catch (e) {
        if (cancelled) return;
        setError((e as Error).message);
      }
      timer = setTimeout(tick, intervalMs);
    };
    void tick();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
    // `key` names what is being polled; the callbacks are recreated every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, intervalMs]);
  return { value, error, setValue };
}
