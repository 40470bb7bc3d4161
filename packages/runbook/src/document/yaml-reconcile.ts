import { isMap, isScalar, isSeq, type Document, type Node as YamlNode, type YAMLMap, type YAMLSeq } from 'yaml';
import { canonicalJson } from './hash.js';
import { keyOrderAt, orderKeys } from './key-order.js';
import { applyFlowStyle } from './yaml-style.js';

type Path = (string | number)[];
type Plain = Record<string, unknown>;
const isPlainObject = (value: unknown): value is Plain => value !== null && typeof value === 'object' && !Array.isArray(value);
const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

/**
 * Edits a parsed YAML document in place so it says `next`, touching only the parts whose
 * meaning changed: everything else — comments, quoting, flow or block style, blank lines —
 * stays exactly as its author wrote it.
 *
 * `previous` and `next` are the fully validated forms (defaults filled in) used to judge what
 * changed; `written` is `next` without defaults and in key order, used for what is added.
 */
export class YamlReconciler {
  constructor(
    private readonly doc: Document,
    private readonly next: unknown,
  ) {}

  reconcile(node: YamlNode, previous: unknown, next: unknown, written: unknown, path: Path): YamlNode {
    if (same(previous, next)) return node;
    if (isMap(node) && isPlainObject(next) && isPlainObject(previous)) {
      this.reconcileMap(node, previous, next, isPlainObject(written) ? written : {}, path);
      return node;
    }
    if (isSeq(node) && Array.isArray(next) && Array.isArray(previous)) {
      this.reconcileSeq(node, previous, next, Array.isArray(written) ? written : next, path);
      return node;
    }
    if (isScalar(node) && !isPlainObject(next) && !Array.isArray(next)) {
      node.value = next;
      return node;
    }
    return this.create(written === undefined ? next : written, path);
  }

  private create(value: unknown, path: Path): YamlNode {
    const created = this.doc.createNode(value) as YamlNode;
    applyFlowStyle(created, path);
    return created;
  }

  private reconcileMap(map: YAMLMap, previous: Plain, next: Plain, written: Plain, path: Path): void {
    for (const key of Object.keys(next)) {
      if (same(previous[key], next[key])) continue;
      const existing = map.get(key, true) as YamlNode | undefined;
      if (existing !== undefined) {
        if (written[key] === undefined) {
          map.delete(key); // Back to its default: the file need not say it.
          continue;
        }
        const replaced = this.reconcile(existing, previous[key], next[key], written[key] ?? next[key], [...path, key]);
        if (replaced !== existing) map.set(key, replaced);
      } else {
        this.insertInOrder(map, key, this.create(written[key] ?? next[key], [...path, key]), path);
      }
    }
    for (const pair of [...map.items]) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      if (!Object.hasOwn(next, key) || next[key] === undefined) map.delete(key);
    }
  }

  private insertInOrder(map: YAMLMap, key: string, value: YamlNode, path: Path): void {
    const keys = map.items.map((pair) => (isScalar(pair.key) ? String(pair.key.value) : String(pair.key)));
    const rule = keyOrderAt(path, this.next);
    const pair = this.doc.createPair(key, value);
    if (!rule) {
      map.items.push(pair);
      return;
    }
    const sorted = orderKeys([...keys, key], rule.order, rule.last);
    const after = sorted.slice(sorted.indexOf(key) + 1).find((k) => keys.includes(k));
    const at = after === undefined ? map.items.length : keys.indexOf(after);
    map.items.splice(at, 0, pair);
  }

  /** Nodes are matched by id and edges by their ends, so reordering or inserting keeps each item's comments. */
  private reconcileSeq(seq: YAMLSeq, previous: unknown[], next: unknown[], written: unknown[], path: Path): void {
    const identity = (item: unknown): string | undefined => {
      if (!isPlainObject(item)) return undefined;
      if (typeof item.id === 'string') return `id:${item.id}`;
      if (typeof item.from === 'string' && typeof item.to === 'string') return `edge:${item.from}->${item.to}`;
      return undefined;
    };
    const keyed = next.every((item) => identity(item) !== undefined) && previous.every((item) => identity(item) !== undefined);
    if (!keyed) {
      if (previous.length !== next.length || seq.items.length !== previous.length) {
        seq.items = (this.create(written, path) as YAMLSeq).items;
        return;
      }
      seq.items = seq.items.map((item, i) => this.reconcile(item as YamlNode, previous[i], next[i], written[i], [...path, i]));
      return;
    }
    const previousIndex = new Map(previous.map((item, i) => [identity(item)!, i]));
    seq.items = next.map((item, i) => {
      const was = previousIndex.get(identity(item)!);
      const existing = was === undefined ? undefined : (seq.items[was] as YamlNode | undefined);
      if (existing === undefined) return this.create(written[i], [...path, i]);
      return this.reconcile(existing, previous[was!], item, written[i], [...path, i]);
    });
  }
}
