import { resolveCount, type CountOrPercent } from '../steps/timing.js';

/**
 * How a forEach splits its items: the canary batch first (when there is one), then batches of
 * `batchSize`. Counts and percentages resolve against the total; a batch always holds at least
 * one item. The preview and the interpreter must agree on this, so it lives here once.
 */
export function planBatches<T>(items: readonly T[], config: { batchSize: CountOrPercent; canary?: { size: CountOrPercent } | undefined }): T[][] {
  const batches: T[][] = [];
  let rest = [...items];
  if (config.canary && rest.length > 0) {
    const size = Math.min(rest.length, Math.max(1, resolveCount(config.canary.size, items.length)));
    batches.push(rest.slice(0, size));
    rest = rest.slice(size);
  }
  const size = Math.max(1, resolveCount(config.batchSize, items.length));
  for (let i = 0; i < rest.length; i += size) batches.push(rest.slice(i, i + size));
  return batches;
}

/** How a forEach names its items when it has no `key` expression: text and numbers by themselves, others by position; repeats get `#2`, `#3`. */
export function itemKeys(names: readonly unknown[]): string[] {
  const seen = new Map<string, number>();
  return names.map((named) => {
    let key = String(named);
    const count = seen.get(key) ?? 0;
    seen.set(key, count + 1);
    if (count > 0) key = `${key}#${count + 1}`;
    return key;
  });
}

/** What names an item when the forEach has no `key` expression: text and numbers themselves, anything else its position. */
export function defaultItemName(value: unknown, index: number): unknown {
  return typeof value === 'string' || typeof value === 'number' ? value : index;
}
