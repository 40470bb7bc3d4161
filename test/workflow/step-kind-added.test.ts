// Adding a step kind is its definition and its activity, each named once in its package's list.
// This test does exactly that to a scratch copy of the language package, the worker and the
// editor's sources, then proves the new kind reaches every place derived from the registry: the
// palette, the inspector form, the OpenAPI document, the runbook checks (including the injection
// check of a field marked as code), waitUntil's checks (it is pollable), and a real worker that
// runs it on the real Temporal server.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

const definition = `import { z } from 'zod';
import { defineStep } from './define-step.js';

export const probeEcho = defineStep({
  type: 'probe.echo',
  execution: 'action',
  category: 'actions',
  idempotent: true,
  pollable: true,
  config: z.object({ message: z.string().min(1), script: z.string().optional() }),
  output: z.object({ echoed: z.string() }),
  meta: {
    label: 'Probe echo',
    icon: 'radio',
    description: 'Answers with its message.',
    fields: { message: { label: 'Message' }, script: { label: 'Script', widget: 'code', role: 'code' } },
  },
});
`;

const activity = `import type { StepOutput } from '@runwright/runbook';
import type { ActivityTools, ResolvedInput } from './activity-tools.js';

export async function probeEcho(input: ResolvedInput<'probe.echo'>, _tools: ActivityTools): Promise<StepOutput<'probe.echo'>> {
  return { echoed: input.config.message };
}
`;

// Runs inside the scratch copy, so '@runwright/runbook' is the copy with the new kind.
const probe = `import { randomUUID } from 'node:crypto';
import { NativeConnection, Runtime, DefaultLogger, Worker } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import { loadRunbook, openApiDocument, routes, runProtocol, stepKinds } from '@runwright/runbook';
import { paletteGroups } from './apps/editor/src/editor/palette-groups';
import { formSchemaOf } from './apps/editor/src/forms/json-schema';
import { createActivities } from './workers/src/activities/index.js';
import { createWorker } from './workers/src/worker.js';
import { AddressPolicy } from './workers/src/config/address-policy.js';
import { envSecretSource } from './workers/src/secrets/env-secret-source.js';

const runbook = (node: string) => \`id: probe
title: Probe
nodes:
\${node}\`;
const checked = (node: string) => {
  const result = loadRunbook(runbook(node));
  return result.ok ? [] : result.problems;
};

Runtime.install({ logger: new DefaultLogger('ERROR') });
const address = process.env.TEMPORAL_ADDRESS!;
const taskQueue = \`kind-added-\${randomUUID()}\`;
const worker = await createWorker({
  connection: await NativeConnection.connect({ address }),
  namespace: 'default',
  taskQueue,
  activityConfig: { secrets: envSecretSource({}), addresses: new AddressPolicy(['127.0.0.0/8']) },
});
const client = new Client({ connection: await Connection.connect({ address }) });
const loaded = loadRunbook(runbook(\`  - id: say
    kind: probe.echo
    config: { message: hello }
  - id: wait
    kind: waitUntil
    config: { check: { kind: probe.echo, config: { message: again } }, intervalMs: 100, timeoutMs: 5000 }
edges:
  - { from: say, to: wait }
\`));
if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
const state = await worker.runUntil(async () => {
  const handle = await client.workflow.start(runProtocol.workflowType, {
    taskQueue,
    workflowId: taskQueue,
    args: [{ runbook: loaded.runbook, planHash: loaded.planHash, params: {}, trigger: { type: 'manual', by: 'tester' } }],
  });
  await handle.result();
  return handle.query(runProtocol.queries.state);
});

console.log(JSON.stringify({
  palette: paletteGroups().find((group) => group.id === 'actions')?.kinds,
  form: Object.keys(formSchemaOf(stepKinds['probe.echo'].config).properties ?? {}),
  openApi: JSON.stringify(openApiDocument(routes, { title: 'probe', version: '0' })).includes('"probe.echo"'),
  missingMessage: checked('  - { id: say, kind: probe.echo, config: {} }\\n'),
  splicedIntoCode: checked('  - { id: say, kind: probe.echo, config: { message: hi, script: "echo {{ params.x }}" } }\\n'),
  activities: Object.keys(createActivities()),
  state,
}));
await client.connection.close();
`;

/** A copy of the parts of the tree the registry feeds, resolving packages to the copy and everything else to the real node_modules. */
async function scratchCopy(): Promise<string> {
  const scratch = await mkdtemp(join(tmpdir(), 'runwright-kind-'));
  for (const part of ['package.json', 'packages/runbook/src', 'packages/runbook/package.json', 'workers/src', 'workers/package.json', 'apps/editor/src']) {
    await cp(join(root, part), join(scratch, part), { recursive: true });
  }
  await mkdir(join(scratch, 'node_modules', '@runwright'), { recursive: true });
  for (const entry of await readdir(join(root, 'node_modules'))) {
    if (entry !== '@runwright' && entry !== '.bin') await symlink(join(root, 'node_modules', entry), join(scratch, 'node_modules', entry));
  }
  await symlink(join(scratch, 'packages/runbook'), join(scratch, 'node_modules/@runwright/runbook'));
  for (const workspace of ['workers', 'apps/editor']) {
    await symlink(join(root, workspace, 'node_modules'), join(scratch, workspace, 'node_modules')).catch(() => undefined);
  }
  return scratch;
}

/** Adds a line after the first line that matches, failing loudly if the list moved. */
async function addAfter(file: string, anchor: string, line: string, importLine: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  if (!text.includes(anchor)) throw new Error(`${file} no longer has "${anchor}"`);
  await writeFile(file, `${importLine}\n${text.replace(anchor, `${anchor}\n${line}`)}`);
}

describe('a step kind added in its two files', () => {
  let scratch: string;
  let result: {
    palette: string[];
    form: string[];
    openApi: boolean;
    missingMessage: { path: string; message: string }[];
    splicedIntoCode: { path: string; message: string }[];
    activities: string[];
    state: { status: string; nodes: Record<string, { status: string; output?: unknown }> };
  };

  beforeAll(async () => {
    scratch = await scratchCopy();
    await writeFile(join(scratch, 'packages/runbook/src/steps/probe-echo.ts'), definition);
    await writeFile(join(scratch, 'workers/src/activities/probe-echo.ts'), activity);
    await addAfter(join(scratch, 'packages/runbook/src/steps/action-kinds.ts'), 'const actions = {', "  'probe.echo': probeEcho,", "import { probeEcho } from './probe-echo.js';");
    await addAfter(
      join(scratch, 'workers/src/activities/index.ts'),
      'export const actionImplementations: ActionImplementations = {',
      "  'probe.echo': probeEcho,",
      "import { probeEcho } from './probe-echo.js';",
    );
    await writeFile(join(scratch, 'probe.ts'), probe);
    const { stdout } = await promisify(execFile)(join(root, 'node_modules/.bin/tsx'), ['probe.ts'], {
      cwd: scratch,
      env: { ...process.env, TEMPORAL_ADDRESS: inject('temporalAddress') },
      maxBuffer: 16 * 1024 * 1024,
    });
    result = JSON.parse(stdout.trim().split('\n').at(-1)!);
  }, 180_000);

  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('appears in the palette, its form and the OpenAPI document', () => {
    expect(result.palette).toContain('probe.echo');
    expect(result.form).toEqual(['message', 'script']);
    expect(result.openApi).toBe(true);
  });

  it('is checked like every kind: its schema, and templates refused in the field it marks as code', () => {
    expect(result.missingMessage.map((p) => p.path)).toEqual(['nodes.0.config.message']);
    expect(result.splicedIntoCode).toEqual([
      expect.objectContaining({ message: expect.stringContaining('would be spliced into script as code') }),
    ]);
  });

  it('runs on a real worker, on its own and polled by waitUntil', () => {
    expect(result.activities).toContain('probe.echo');
    expect(result.state.status).toBe('succeeded');
    expect(result.state.nodes.say).toMatchObject({ status: 'succeeded', output: { echoed: 'hello' } });
    expect(result.state.nodes.wait).toMatchObject({ status: 'succeeded', output: { polls: 1, output: { echoed: 'again' } } });
  });
});
