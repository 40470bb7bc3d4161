import type { Edge, Runbook, RunbookNode } from '../document/runbook.js';
import { parametersSchemaFor } from '../document/parameters.js';
import type { OnFailure } from '../document/policies.js';
import { pathToString, type Problem } from '../graph/problems.js';
import { resolveCount } from '../steps/timing.js';
import { defaultItemName, itemKeys, planBatches } from './batches.js';
import { batchGateCheckpoints, plannedGates } from './planned-gates.js';
import { decisionsAsked, perItemWaits, plannedCheckpoints, quorumOf, type ForEachCheckpoint } from './checkpoint-waits.js';
import { resolveExpression, resolveKnownTemplates, type KnownScope } from './resolve-known.js';

/** `yes`: runs if everything before it succeeds; `no`: skipped whatever happens; `maybe`: decided during the run. */
export type Runs = 'yes' | 'no' | 'maybe';

export interface PlannedNode {
  id: string;
  kind: string;
  title?: string | undefined;
  runs: Runs;
  why?: string;
  condition?: { expression: string; known: boolean; value?: unknown };
  /** The config with every template resolvable before the run resolved; `pending` lists the paths left as written. */
  config: unknown;
  pending: string[];
  policies: { timeout: string; runsOn?: string | undefined; retry?: unknown; onFailure: OnFailure };
  branch?: { labels: string[]; value?: unknown; takes?: string[]; failsRun?: boolean };
  forEach?: PlannedForEach;
  rollback?: { kind: string; config: unknown; pending: string[] };
}

export interface PlannedForEach {
  items?: { key: string; value: unknown }[];
  itemsPending?: string;
  batches?: { number: number; canary: boolean; keys: string[] }[];
  maxConcurrency?: number | undefined;
  failuresTolerated?: number;
  body: PlanStage[];
  /**
   * The gates between batches, in order, when the batches are known: after which batch, its id,
   * the soak (window, poll interval, guard names) and the checkpoint's title. See batch-gates.ts.
   */
  gates?: PlannedGate[];
  /**
   * The checkpoints the rollout waits at: each checkpoint of its body once per item, the canary
   * batch's own once, and the `afterEachBatch` one between batches. Checkpoints of a forEach
   * nested in the body show on that forEach.
   */
  checkpoints: ForEachCheckpoint[];
  /** Approvals the rollout asks for at most (waits times quorum); absent while items are known only at run time. */
  decisions?: number;
}

/** The gate after one batch as the preview shows it: templates resolved where the parameters allow. */
export interface PlannedGate {
  id: string;
  afterBatch: number;
  canary: boolean;
  observe?: { duration: string; interval: string; guards: string[] };
  checkpoint?: { title: string };
}

/** Nodes that start together: everything in a stage waits only for earlier stages. */
export interface PlanStage {
  stage: number;
  nodes: PlannedNode[];
}

export type PlanPreview =
  | {
      ok: true;
      runbookId: string;
      params: Record<string, unknown>;
      stages: PlanStage[];
      checkpoints: PlannedCheckpoint[];
      /** What a rollback would undo, newest first: the rollback actions of nodes planned to run, in reverse plan order. */
      rollback: { nodeId: string; kind: string; config: unknown; pending: string[]; perItem: boolean }[];
      rollbackOnCancel: boolean;
    }
  | { ok: false; problems: Problem[] };

export interface PlannedCheckpoint {
  /** As the run's inbox names it: the node id, or `<forEach>.canary` for a canary batch's checkpoint. */
  nodeId: string;
  runs: Runs;
  title: unknown;
  approvers: unknown;
  quorum: unknown;
  fourEyes: unknown;
  checklist: unknown;
  /** Inside a forEach: it waits once per item (see the forEach's `checkpoints` for which items). */
  perItem?: { forEachId: string; items?: string[]; maybeItems?: string[]; waits?: number };
  /** The canary batch's own checkpoint of this forEach: it waits once, after the first batch. */
  canaryOf?: string;
  /** The `afterEachBatch` checkpoint of this forEach: it waits after each of `batches` (every batch but the canary and the last). */
  batchGate?: { forEachId: string; batches?: number[]; waits?: number };
}

export interface PreviewOptions {
  startedBy?: string;
  alert?: unknown;
}

type Wrapper = RunbookNode & { when?: string; parent?: string; onFailure?: OnFailure; rollback?: { kind: string; config: unknown } };

/** Stages of one (sub-)graph by longest path from its start nodes, each stage in document order. */
function stagesOf(nodes: Wrapper[], edges: readonly Edge[]): Wrapper[][] {
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
  const stages: Wrapper[][] = [];
  for (const node of nodes) (stages[depthOf(node.id)] ??= []).push(node);
  return stages.filter(Boolean);
}

function branchLabel(value: unknown): string {
  return value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
}

class Previewer {
  private readonly planned = new Map<string, PlannedNode>();
  /** Whether each node's incoming paths let it run, before its own condition is looked at. */
  private readonly reached = new Map<string, Runs>();
  constructor(
    private readonly runbook: Runbook,
    private readonly scope: KnownScope,
  ) {}

  async graph(nodes: Wrapper[], base: Runs): Promise<PlanStage[]> {
    const result: PlanStage[] = [];
    for (const [stage, group] of stagesOf(nodes, this.runbook.edges).entries()) {
      const planned: PlannedNode[] = [];
      for (const node of group) planned.push(await this.node(node, base));
      result.push({ stage: stage + 1, nodes: planned });
    }
    return result;
  }

  /** Whether a node runs, from its incoming edges (a join needs one live path) and then its condition. */
  private incoming(node: Wrapper, base: Runs): { runs: Runs; why?: string } {
    const edges = this.runbook.edges.filter((e) => e.to === node.id);
    if (edges.length === 0) return { runs: base };
    const states = edges.map((edge): Runs => {
      const source = this.planned.get(edge.from);
      if (!source || source.runs === 'no') return 'no';
      if (!source.branch) return source.runs;
      if (!source.branch.takes) return 'maybe';
      return source.branch.takes.includes(edge.label ?? '') ? source.runs : 'no';
    });
    if (states.includes('yes')) return { runs: 'yes' };
    if (states.includes('maybe')) return { runs: 'maybe' };
    return { runs: 'no', why: 'every path to it is skipped' };
  }

  private async node(node: Wrapper, base: Runs): Promise<PlannedNode> {
    let { runs, why } = this.incoming(node, base);
    this.reached.set(node.id, runs);
    const config = await resolveKnownTemplates(node.config, this.scope);
    const planned: PlannedNode = {
      id: node.id,
      kind: node.kind,
      ...(node.title !== undefined && { title: node.title }),
      runs,
      config: config.value,
      pending: config.pending,
      policies: {
        timeout: node.timeout ?? this.runbook.defaults.timeout,
        runsOn: node.runsOn ?? this.runbook.defaults.taskQueue,
        ...((node.retry ?? this.runbook.defaults.retry) && { retry: node.retry ?? this.runbook.defaults.retry }),
        onFailure: node.onFailure ?? this.runbook.defaults.onFailure ?? 'stop',
      },
    };
    if (node.when !== undefined) {
      const condition = await resolveExpression(node.when, this.scope);
      planned.condition = { expression: node.when, known: condition.known, ...(condition.known && { value: condition.value }) };
      if (runs !== 'no' && condition.known && !condition.value) [runs, why] = ['no', `its condition ${node.when} is false`];
      else if (runs === 'yes' && !condition.known) runs = 'maybe';
    }
    planned.runs = runs;
    if (why) planned.why = why;
    if (node.rollback) {
      const rollback = await resolveKnownTemplates(node.rollback.config, this.scope);
      planned.rollback = { kind: node.rollback.kind, config: rollback.value, pending: rollback.pending };
    }
    if (node.kind === 'branch') planned.branch = await this.branch(node);
    if (node.kind === 'forEach') planned.forEach = await this.forEach(node, runs);
    this.planned.set(node.id, planned);
    return planned;
  }

  private async branch(node: Extract<Wrapper, { kind: 'branch' }>): Promise<NonNullable<PlannedNode['branch']>> {
    const labels = [...new Set(this.runbook.edges.filter((e) => e.from === node.id).map((e) => e.label ?? ''))];
    const value = await resolveExpression(node.config.expression, this.scope);
    if (!value.known) return { labels };
    const label = branchLabel(value.value);
    const takes = labels.includes(label) ? [label] : labels.includes('default') ? ['default'] : [];
    return { labels, value: value.value, takes, ...(takes.length === 0 && { failsRun: true }) };
  }

  private async forEach(node: Extract<Wrapper, { kind: 'forEach' }>, runs: Runs): Promise<PlannedForEach> {
    const children = (this.runbook.nodes as Wrapper[]).filter((n) => n.parent === node.id);
    const body = await this.graph(children, runs === 'no' ? 'no' : runs);
    const gated = (await resolveKnownTemplates({ canary: node.config.canary, afterEachBatch: node.config.afterEachBatch }, this.scope)).value;
    const gateCheckpoints = (batches: number | undefined) => batchGateCheckpoints(node.id, gated, batches, runs);
    const bodyCheckpoints = children.filter((n) => n.kind === 'checkpoint');
    const planned = { maxConcurrency: node.config.maxConcurrency, body };
    const unknownItems = (reason: string): PlannedForEach => ({
      ...planned,
      itemsPending: reason,
      checkpoints: [...bodyCheckpoints.map((n) => ({ nodeId: n.id, canary: false, quorum: quorumOf(n.config) })), ...gateCheckpoints(undefined)],
    });
    const values = await resolveExpression(node.config.items, this.scope);
    if (!values.known) return unknownItems(node.config.items);
    if (!Array.isArray(values.value)) return unknownItems(`${node.config.items} is not a list: ${JSON.stringify(values.value)}`);
    const list = values.value as unknown[];
    const names: unknown[] = [];
    for (const [index, item] of list.entries()) {
      if (node.config.key) {
        const key = await resolveExpression(node.config.key, { ...this.scope, item });
        if (!key.known) return unknownItems(`item keys depend on the run: ${node.config.key}`);
        names.push(key.value);
      } else {
        names.push(defaultItemName(item, index));
      }
    }
    const items = itemKeys(names).map((key, i) => ({ key, value: list[i] }));
    const batches = planBatches(items, node.config).map((batch, i) => ({
      number: i + 1,
      canary: i === 0 && node.config.canary !== undefined,
      keys: batch.map((item) => item.key),
    }));
    const checkpoints: ForEachCheckpoint[] = [];
    for (const checkpoint of bodyCheckpoints) {
      const perItem: { key: string; runs: Runs }[] = [];
      for (const item of items) perItem.push({ key: item.key, runs: await this.runsForItem(checkpoint, item.value) });
      checkpoints.push(perItemWaits(checkpoint.id, quorumOf(checkpoint.config), perItem));
    }
    checkpoints.push(...gateCheckpoints(batches.length));
    const decisions = decisionsAsked(checkpoints);
    const gates = plannedGates(node.id, gated, batches.length);
    return {
      ...planned,
      items,
      batches,
      ...(gates.length > 0 && { gates }),
      failuresTolerated: resolveCount(node.config.failureThreshold, items.length),
      checkpoints,
      ...(decisions !== undefined && { decisions }),
    };
  }

  /** Whether a body node runs for one item: its paths as planned, then its condition with `item` known. */
  private async runsForItem(node: Wrapper, item: unknown): Promise<Runs> {
    const reached = this.reached.get(node.id) ?? 'maybe';
    if (reached === 'no' || node.when === undefined) return reached;
    const condition = await resolveExpression(node.when, { ...this.scope, item });
    if (!condition.known) return 'maybe';
    return condition.value ? reached : 'no';
  }
}

/**
 * What a run would do, without running anything: stages of nodes that start together, which
 * nodes run, are skipped or wait on run-time values, every template resolvable from the
 * parameters resolved, forEach items and batches, checkpoints, and the rollback plan. It
 * assumes every step succeeds; failures are the interpreter's business.
 */
export async function previewPlan(runbook: Runbook, params: Record<string, unknown>, options: PreviewOptions = {}): Promise<PlanPreview> {
  const parsed = parametersSchemaFor(runbook.parameters).safeParse(params);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((i) => ({ path: pathToString(['params', ...i.path]), message: i.message })) };
  }
  const scope: KnownScope = {
    params: parsed.data,
    run: { id: '(preview)', runbookId: runbook.id, startedBy: options.startedBy ?? '(preview)' },
    ...(options.alert !== undefined && { alert: options.alert }),
  };
  const previewer = new Previewer(runbook, scope);
  const nodes = runbook.nodes as Wrapper[];
  const stages = await previewer.graph(nodes.filter((n) => n.parent === undefined), 'yes');

  const all: { node: PlannedNode; perItem: boolean }[] = [];
  const collect = (list: PlanStage[], perItem: boolean) => {
    for (const stage of list) for (const node of stage.nodes) {
      all.push({ node, perItem });
      if (node.forEach) collect(node.forEach.body, true);
    }
  };
  collect(stages, false);
  const checkpoints = plannedCheckpoints(stages);
  const rollback = all
    .filter(({ node }) => node.rollback && node.runs !== 'no')
    .reverse()
    .map(({ node, perItem }) => ({ nodeId: node.id, ...node.rollback!, perItem }));
  return { ok: true, runbookId: runbook.id, params: parsed.data, stages, checkpoints, rollback, rollbackOnCancel: runbook.defaults.rollbackOnCancel ?? false };
}
