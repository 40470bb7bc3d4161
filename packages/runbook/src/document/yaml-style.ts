import { isMap, isScalar, isSeq, type Node as YamlNode } from 'yaml';
import { keyOrderAt, orderKeys } from './key-order.js';

type Path = (string | number)[];
const isPlainObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** A deep copy with every object's keys in the order `keyOrderAt` gives for its path. */
export function orderedCopy(value: unknown, document: unknown, path: Path = []): unknown {
  if (Array.isArray(value)) return value.map((item, i) => orderedCopy(item, document, [...path, i]));
  if (!isPlainObject(value)) return value;
  const rule = keyOrderAt(path, document);
  const keys = rule ? orderKeys(Object.keys(value), rule.order, rule.last) : Object.keys(value);
  return Object.fromEntries(
    keys.filter((k) => value[k] !== undefined).map((k) => [k, orderedCopy(value[k], document, [...path, k])]),
  );
}

const shortFlowLength = 60;

/**
 * Flow style where people write it so: node positions (`{ x: 0, y: 140 }`) and short lists of
 * plain values (`tags: [example]`, `command: [systemctl, reload, nginx]`). Everything else is
 * block style, which diffs line by line.
 */
export function applyFlowStyle(node: unknown, path: Path = []): void {
  if (isSeq(node)) {
    const scalars = node.items.every((item) => isScalar(item));
    const length = node.items.reduce<number>((sum, item) => sum + String((item as { value?: unknown }).value ?? '').length + 2, 0);
    if (scalars && node.items.length > 0 && length <= shortFlowLength && !node.items.some((i) => /\n/.test(String((i as { value?: unknown }).value)))) {
      node.flow = true;
    }
    node.items.forEach((item, i) => applyFlowStyle(item, [...path, i]));
  } else if (isMap(node)) {
    if (path.length === 3 && path[0] === 'layout' && path[1] === 'nodes') node.flow = true;
    if (path.length === 3 && path[0] === 'layout' && path[1] === 'notes') node.flow = true;
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? (pair.key.value as string | number) : String(pair.key);
      applyFlowStyle(pair.value as YamlNode, [...path, key]);
    }
  }
}
