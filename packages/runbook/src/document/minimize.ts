import { canonicalJson } from './hash.js';

type Plain = Record<string, unknown>;
const isPlainObject = (value: unknown): value is Plain => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Removes every key whose absence the schema fills back in with the same value, so a saved
 * file says only what its author chose. Judged by parsing, not by knowing defaults: a key is
 * dropped when parsing the document without it gives exactly the same result.
 */
export function withoutDefaults<T>(value: T, parse: (candidate: unknown) => unknown): T {
  const root = structuredClone(value) as unknown;
  let reference: string;
  try {
    reference = canonicalJson(parse(root));
  } catch {
    return root as T; // Not valid: nothing can be judged a default.
  }
  const sameAsReference = () => {
    try {
      return canonicalJson(parse(root)) === reference;
    } catch {
      return false;
    }
  };
  const visit = (container: unknown): void => {
    if (Array.isArray(container)) return container.forEach(visit);
    if (!isPlainObject(container)) return;
    for (const key of Object.keys(container)) {
      const kept = container[key];
      delete container[key];
      if (sameAsReference()) continue;
      container[key] = kept;
      visit(kept);
    }
  };
  visit(root);
  return root as T;
}
