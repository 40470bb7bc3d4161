import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { loadRunbook } from '../../document/load.js';
import type { Edge, Runbook, RunbookNode } from '../../document/runbook.js';
import type { Problem } from '../../graph/problems.js';
import type { FieldHint } from '../../steps/define-step.js';
import { isStepType, stepKinds } from '../../steps/registry.js';

/**
 * A runbook as a document a person can follow by hand when Runwright itself is down: its
 * parameters as a form to fill in, its steps in the order the engine would run them, with the
 * commands, SQL and URLs exactly as written (parameter placeholders included), checklists as
 * boxes to tick, and the rollback actions. Built from the source text, so what is printed is
 * what the author wrote, not the defaults the schema fills in; rendered by
 * `printable-markdown.ts` and `printable-html.ts`.
 */
export interface PrintableRunbook {
  id: string;
  title: string;
  description: string;
  owners: string[];
  tags: string[];
  planHash: string;
  objectives: string[];
  /** At most one run at a time per this key (a template over the parameters), and what a second run does. */
  concurrency?: { key: string; second: string };
  parameters: { name: string; type: string; default: string; description: string; rule: string }[];
  steps: PrintableStep[];
  /** Every rollback action, newest first: the order to undo in. */
  rollback: { step: string; title: string; kind: string; perItem: boolean; fields: PrintableField[] }[];
  onFailure: string;
}

export interface PrintableStep {
  /** `3`, or `3.2` inside the forEach of step 3. */
  number: string;
  id: string;
  title: string;
  kind: string;
  /** A person decides here (a checkpoint): a signature line follows. */
  human: boolean;
  description: string;
  /** What must be done first: `step 2`, `step 4 answered "yes"`. */
  after: string[];
  /** Steps that may run at the same time as this one. */
  alongside: string[];
  condition?: string;
  runsOn?: string;
  timeout?: string;
  attempts?: number;
  onFailure: string;
  fields: PrintableField[];
  /** A branch's ways on: the value it answers, and the step that follows. */
  paths: { label: string; to: string }[];
  rollback?: { kind: string; fields: PrintableField[] };
  /** A forEach's steps, done once per item. */
  body: PrintableStep[];
}

export type PrintableValue =
  | { type: 'text'; text: string }
  | { type: 'code'; text: string }
  | { type: 'checklist'; items: { label: string; answer: 'tick' | 'text' | 'number' | 'boolean'; required: boolean }[] };

export interface PrintableField {
  label: string;
  value: PrintableValue;
}

const onFailureText = {
  stop: 'stop: start nothing new, and escalate',
  rollback: 'roll back: undo the steps done so far, newest first (see "Rolling back")',
  ask: 'decide: retry, skip, roll back or abort — a person chooses',
} as const;

type Authored = Record<string, unknown>;
const isRecord = (value: unknown): value is Authored => value !== null && typeof value === 'object' && !Array.isArray(value);

/** A checklist as authored: items with a label, each a box to tick or a typed answer. */
function checklistOf(value: unknown): PrintableValue | undefined {
  if (!Array.isArray(value) || value.length === 0 || !value.every((item) => isRecord(item) && typeof item.label === 'string')) return undefined;
  return {
    type: 'checklist',
    items: (value as Authored[]).map((item) => ({
      label: String(item.label),
      answer: (['text', 'number', 'boolean'] as const).find((t) => t === item.type) ?? 'tick',
      required: item.required !== false,
    })),
  };
}

function yamlOf(value: unknown): string {
  return stringifyYaml(value, { lineWidth: 0, flowCollectionPadding: false }).trimEnd();
}

/**
 * The fields of a config as authored, in the author's order: labelled by the kind's editor
 * hints, code fields and anything multi-line as code, checklists (at any depth) as boxes.
 */
function fieldsOf(kind: string, config: unknown): PrintableField[] {
  if (!isRecord(config)) return [];
  const hints: Record<string, FieldHint> = (isStepType(kind) ? stepKinds[kind].meta.fields : undefined) ?? {};
  const fields: PrintableField[] = [];
  for (const [key, value] of Object.entries(config)) {
    const hint = hints[key];
    const label = hint?.label ?? key;
    const checklist = key === 'checklist' || hint?.widget === 'checklist' ? checklistOf(value) : undefined;
    if (checklist) {
      fields.push({ label, value: checklist });
    } else if (isRecord(value) && Object.values(value).some((inner) => isRecord(inner) && checklistOf(inner.checklist))) {
      // A gate holding a checkpoint (a forEach's canary or afterEachBatch): its parts, then its checklist as boxes.
      for (const [part, inner] of Object.entries(value)) {
        const innerChecklist = isRecord(inner) ? checklistOf(inner.checklist) : undefined;
        const rest = isRecord(inner) && innerChecklist ? Object.fromEntries(Object.entries(inner).filter(([k]) => k !== 'checklist')) : inner;
        fields.push({ label: `${label} — ${part}`, value: typeof rest === 'object' ? { type: 'code', text: yamlOf(rest) } : { type: 'text', text: String(rest) } });
        if (innerChecklist) fields.push({ label: `${label} — ${part} checklist`, value: innerChecklist });
      }
    } else if (typeof value === 'string' && !value.includes('\n') && hint?.role !== 'code' && hint?.widget !== 'code') {
      fields.push({ label, value: { type: 'text', text: value } });
    } else if (typeof value === 'string') {
      fields.push({ label, value: { type: 'code', text: value.trimEnd() } });
    } else if (typeof value === 'number' || typeof value === 'boolean') {
      fields.push({ label, value: { type: 'text', text: String(value) } });
    } else if (Array.isArray(value) && value.every((item) => typeof item !== 'object' || item === null)) {
      // An argv or a list of values: on one line, each item quoted as it would be written.
      fields.push({ label, value: { type: 'code', text: `[${value.map((item) => JSON.stringify(item)).join(', ')}]` } });
    } else {
      fields.push({ label, value: { type: 'code', text: yamlOf(value) } });
    }
  }
  return fields;
}

/** Nodes of one graph (top level, or one forEach's body) in the order the engine starts them: by longest path from a start, then as written. */
function ordered(nodes: RunbookNode[], edges: Edge[]): RunbookNode[][] {
  const ids = new Set(nodes.map((n) => n.id));
  const inner = edges.filter((e) => ids.has(e.from) && ids.has(e.to));
  const depth = new Map<string, number>();
  const depthOf = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    const d = Math.max(-1, ...inner.filter((e) => e.to === id).map((e) => depthOf(e.from))) + 1;
    depth.set(id, d);
    return d;
  };
  const stages: RunbookNode[][] = [];
  for (const node of nodes) (stages[depthOf(node.id)] ??= []).push(node);
  return stages.filter(Boolean);
}

class Printer {
  private readonly numbers = new Map<string, string>();
  private readonly authored = new Map<string, Authored>();

  constructor(
    private readonly runbook: Runbook,
    document: unknown,
  ) {
    const nodes = isRecord(document) && Array.isArray(document.nodes) ? document.nodes : [];
    for (const node of nodes) if (isRecord(node) && typeof node.id === 'string') this.authored.set(node.id, node);
  }

  /** Numbers every step first, so that a step can name ones printed after it. */
  private number(graph: RunbookNode[], prefix: string): RunbookNode[][] {
    const stages = ordered(graph, this.runbook.edges);
    let n = 0;
    for (const stage of stages) {
      for (const node of stage) {
        this.numbers.set(node.id, `${prefix}${++n}`);
        if (node.kind === 'forEach') this.number(this.childrenOf(node.id), `${prefix}${n}.`);
      }
    }
    return stages;
  }

  /** The nodes of the graph a forEach runs per item, or of the top level (no parent). */
  childrenOf(parent: string | undefined): RunbookNode[] {
    return this.runbook.nodes.filter((n) => n.parent === parent);
  }

  private stepName(id: string): string {
    return `step ${this.numbers.get(id) ?? id} (${id})`;
  }

  steps(graph: RunbookNode[], prefix: string): PrintableStep[] {
    const stages = this.number(graph, prefix);
    return stages.flatMap((stage) => stage.map((node) => this.step(node, stage)));
  }

  private step(node: RunbookNode, stage: RunbookNode[]): PrintableStep {
    const authored = this.authored.get(node.id) ?? {};
    const definition = stepKinds[node.kind];
    const incoming = this.runbook.edges.filter((e) => e.to === node.id);
    const outgoing = this.runbook.edges.filter((e) => e.from === node.id);
    const retry = node.retry ?? this.runbook.defaults.retry;
    const body = node.kind === 'forEach' ? this.steps(this.childrenOf(node.id), `${this.numbers.get(node.id)}.`) : [];
    return {
      number: this.numbers.get(node.id)!,
      id: node.id,
      title: node.title ?? node.id,
      kind: definition.meta.label,
      human: definition.category === 'human',
      description: node.description ?? '',
      after: incoming.map((e) => (e.label !== undefined ? `${this.stepName(e.from)} answered "${e.label}"` : this.stepName(e.from))),
      alongside: stage.filter((other) => other.id !== node.id).map((other) => this.stepName(other.id)),
      ...(node.when !== undefined && { condition: node.when }),
      ...((node.runsOn ?? this.runbook.defaults.taskQueue) && { runsOn: node.runsOn ?? this.runbook.defaults.taskQueue }),
      // Only an action has a step timeout; a checkpoint's or a soak's own timing is among its fields.
      ...(definition.execution === 'action' && { timeout: node.timeout ?? this.runbook.defaults.timeout }),
      ...(definition.execution === 'action' && retry && { attempts: retry.maximumAttempts }),
      onFailure: onFailureText[node.onFailure ?? this.runbook.defaults.onFailure ?? 'stop'],
      fields: fieldsOf(node.kind, authored.config),
      paths: node.kind === 'branch' ? outgoing.map((e) => ({ label: e.label ?? '(any other value)', to: this.stepName(e.to) })) : [],
      ...(isRecord(authored.rollback) && { rollback: { kind: this.kindLabel(authored.rollback.kind), fields: fieldsOf(String(authored.rollback.kind), authored.rollback.config) } }),
      body,
    };
  }

  kindLabel(kind: unknown): string {
    return typeof kind === 'string' && isStepType(kind) ? stepKinds[kind].meta.label : String(kind);
  }
}

function flatten(steps: PrintableStep[]): PrintableStep[] {
  return steps.flatMap((step) => [step, ...flatten(step.body)]);
}

function defaultText(value: unknown): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The printable form of a runbook's source; its problems instead when it does not validate (a broken plan is not printed). */
export function printableRunbook(source: string): { ok: true; printable: PrintableRunbook } | { ok: false; problems: Problem[] } {
  const loaded = loadRunbook(source);
  if (!loaded.ok) return loaded;
  const { runbook, planHash } = loaded;
  const printer = new Printer(runbook, parseYaml(source));
  const steps = printer.steps(printer.childrenOf(undefined), '');
  const rollback = flatten(steps)
    .filter((step) => step.rollback)
    .reverse()
    .map((step) => ({ step: `step ${step.number} (${step.id})`, title: step.title, kind: step.rollback!.kind, perItem: step.number.includes('.'), fields: step.rollback!.fields }));
  const objectives = runbook.objectives;
  return {
    ok: true,
    printable: {
      id: runbook.id,
      title: runbook.title,
      description: runbook.description.trim(),
      owners: runbook.owners,
      tags: runbook.tags,
      planHash,
      objectives: objectives
        ? [
            ...(objectives.rtoSeconds !== undefined ? [`recover within ${objectives.rtoSeconds} s (RTO), measured until step ${objectives.recoveredAt} succeeds`] : []),
            ...(objectives.rpoSeconds !== undefined ? [`lose at most ${objectives.rpoSeconds} s of data (RPO)`] : []),
          ]
        : [],
      ...(runbook.concurrency && {
        concurrency: { key: runbook.concurrency.key, second: runbook.concurrency.onConflict === 'refuse' ? 'a second one is refused' : 'a second one waits its turn' },
      }),
      parameters: Object.entries(runbook.parameters).map(([name, p]) => ({
        name,
        type: p.type,
        default: defaultText(p.default),
        description: p.description,
        rule: [p.type === 'string' && p.pattern ? `matches ${p.pattern}` : '', p.type === 'string' && p.enum ? `one of ${p.enum.join(', ')}` : '', p.type === 'number' && p.min !== undefined ? `at least ${p.min}` : '', p.type === 'number' && p.max !== undefined ? `at most ${p.max}` : '']
          .filter(Boolean)
          .join('; '),
      })),
      steps,
      rollback,
      onFailure: onFailureText[runbook.defaults.onFailure ?? 'stop'],
    },
  };
}
