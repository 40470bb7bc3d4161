// A viewer may ask the API for a plan preview with parameters of their choosing; the preview
// evaluates the runbook's templates over them. A template that runs away with those values must
// not stall the API: evaluations there have a time limit and hand the event loop back every
// slice, so /healthz keeps answering while the preview works. The API runs as its own process
// (apps/api/src/main.ts), as in production, so its event loop is not the test's.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { eventually } from '../support/eventually.js';
import { freePort } from '../support/free-port.js';

const root = resolve(import.meta.dirname, '../..');
const admin = `rw_test_${randomBytes(24).toString('base64url')}`;
let folder: string;
let api: ChildProcess | undefined;
let url: string;
let output = '';

// Each node's config holds a template that a chosen parameter turns into a runaway; 40 of them
// keep the preview busy long enough to watch /healthz through it. One more node stays harmless.
const runaways = [
  "{{ ($f := function($i){ $i = 0 ? 'done' : $f($i - 1) }; $f(params.n)) }}",
  '{{ ($f := function($i){ $i = params.n ? $i : $f($i + 1) }; $f(-1)) }}',
  "{{ $pad('', params.n, 'x') }}",
  '{{ $string([1..params.n]) }}',
];
const runbook = {
  id: 'runaway',
  title: 'Templates a parameter can turn into runaways',
  parameters: { n: { type: 'number', default: 1 } },
  nodes: [
    ...Array.from({ length: 40 }, (_, i) => ({ id: `step-${i}`, kind: 'shell', config: { command: ['echo', runaways[i % runaways.length]!] } })),
    { id: 'harmless', kind: 'shell', config: { command: ['echo', '{{ $string(params.n) }}'] } },
  ],
};

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'runwright-runaway-api-'));
  const runbooks = join(folder, 'runbooks');
  mkdirSync(runbooks);
  writeFileSync(join(runbooks, 'runaway.yaml'), stringify(runbook));
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  api = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      RUNWRIGHT_API_HOST: '127.0.0.1',
      RUNWRIGHT_API_PORT: String(port),
      RUNWRIGHT_RUNBOOKS_DIR: runbooks,
      RUNWRIGHT_DATA_DIR: join(folder, 'data'),
      RUNWRIGHT_BOOTSTRAP_TOKEN: admin,
      RUNWRIGHT_TASK_QUEUE: `runaway-${randomUUID()}`,
      RUNWRIGHT_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  api.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  api.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await eventually(
    () => fetch(`${url}/healthz`).then((r) => r.status, () => 0),
    (status) => status === 200,
    { what: 'the API to answer /healthz', attempts: 1_200, detail: () => output },
  );
});

afterAll(async () => {
  if (api && api.exitCode === null) {
    const exited = new Promise((done) => api!.once('exit', done));
    api.kill('SIGTERM');
    await Promise.race([exited, new Promise((done) => setTimeout(done, 10_000))]);
    if (api.exitCode === null) api.kill('SIGKILL');
  }
  rmSync(folder, { recursive: true, force: true });
});

async function call(method: string, path: string, token: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(60_000),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/**
 * Asks for a plan preview while /healthz is asked, one request after another, for as long as the
 * preview is in flight; the gaps between health answers (from the moment the preview was sent
 * to the moment it answered) show how long the API's event loop was kept.
 */
async function previewWatchingHealth(token: string, n: number) {
  const answeredAt: number[] = [];
  let previewing = true;
  const watch = (async () => {
    while (previewing) {
      // A health check the API never answers ends the watch; the preview's own wait fails the test.
      const answered = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(60_000) }).then((r) => r.arrayBuffer().then(() => true), () => false);
      if (!answered) return;
      if (previewing) answeredAt.push(performance.now());
    }
  })();
  const sentAt = performance.now();
  let answer: Awaited<ReturnType<typeof call>>;
  let answeredPreviewAt: number;
  try {
    answer = await call('POST', '/api/runbooks/runaway/plan', token, { params: { n } });
    answeredPreviewAt = performance.now();
  } finally {
    previewing = false;
    await watch;
  }
  const moments = [sentAt, ...answeredAt, answeredPreviewAt];
  const worstGap = Math.max(...moments.slice(1).map((at, i) => at - moments[i]!));
  return { ...answer, took: answeredPreviewAt - sentAt, answers: answeredAt.length, worstGap };
}

describe('a runaway template in a viewer’s plan preview', () => {
  it('is stopped by the limits while /healthz keeps answering', async () => {
    const created = await call('POST', '/api/tokens', admin, { user: 'watcher', roles: ['viewer'] });
    expect(created.status).toBe(201);
    const viewer = created.body.token as string;

    const harmless = await previewWatchingHealth(viewer, 1);
    const preview = await previewWatchingHealth(viewer, 2_000_000);
    expect(preview.status).toBe(200);
    const nodes = (preview.body.stages as { nodes: { id: string; config: { command: unknown[] }; pending: string[] }[] }[]).flatMap((s) => s.nodes);
    expect(nodes).toHaveLength(41);
    for (const node of nodes.filter((n) => n.id !== 'harmless')) {
      // Left as written: it cannot be evaluated within the limits.
      expect(node.pending, node.id).toEqual(['command.1']);
      expect(node.config.command[1], node.id).toBe(runaways[Number(node.id.slice(5)) % runaways.length]);
    }
    expect(nodes.find((n) => n.id === 'harmless')).toMatchObject({ pending: [], config: { command: ['echo', '2000000'] } });

    expect(harmless.status).toBe(200);
    for (const [what, { took, answers, worstGap }] of [['harmless (n=1)', harmless], ['runaway (n=2,000,000)', preview]] as const) {
      console.log(`plan preview, ${what}: answered in ${Math.round(took)} ms; /healthz answered ${answers} times meanwhile, worst gap ${Math.round(worstGap)} ms`);
    }
    // The API kept serving while it evaluated: health answers arrived during the preview.
    expect(preview.answers).toBeGreaterThanOrEqual(2);
  });

});
