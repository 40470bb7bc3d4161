const pause = () => new Promise((r) => setTimeout(r, 100));

/**
 * Reads every 100 ms until `until` holds, and returns that value; after `attempts` reads (300:
 * half a minute) fails naming `what`, the last value, and whatever `detail` adds (a server log).
 * For what becomes true a moment later: visibility catching up, a process getting ready.
 */
export async function eventually<T>(
  read: () => Promise<T>,
  until: (value: T) => boolean,
  options: { what?: string; attempts?: number; detail?: () => string } = {},
): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < (options.attempts ?? 300); i++) {
    last = await read();
    if (until(last)) return last;
    await pause();
  }
  const detail = options.detail ? `\n${options.detail()}` : '';
  throw new Error(`${options.what ?? 'condition'} never met; last value: ${JSON.stringify(last)}${detail}`);
}

/** Like `eventually`, for reads that answer `undefined` until the thing exists; waits up to a minute. */
export async function poll<T>(what: string, read: () => Promise<T | undefined>): Promise<T> {
  return (await eventually(read, (value) => value !== undefined, { what, attempts: 600 })) as T;
}
