// Runs through a real Temporal dev server and worker: how long a run of N shell nodes takes
// end to end, sequential and parallel. Prints figures; asserts nothing.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { loadRunbook, runProtocol, type RunInput } from '@runwright/runbook';
import { ensureTemporalCli } from '../scripts/temporal-cli.js';
import { startDevServer } from '../scripts/temporal-dev-server.js';
import { freePort } from '../test/support/free-port.js';
import { createWorker } from '../workers/src/worker.js';

function chain(size: number, width: number) {
  const nodes = Array.from({ length: size }, (_, i) => ({ id: `n-${i}`, kind: 'shell', config: { command: ['true'] } }));
  const edges = nodes.slice(width).map((n, i) => ({ from: nodes[i]!.id, to: n.id }));
  const result = loadRunbook(JSON.stringify({ id: 'bench', title: 'bench', nodes, edges }));
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result;
}

export async function run(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const server = await startDevServer({ cli: ensureTemporalCli(), port: await freePort(), readyTimeoutMs: 120_000 });
  const native = await NativeConnection.connect({ address: server.address });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const taskQueue = `bench-${randomUUID()}`;
  const worker = await createWorker({ connection: native, namespace: 'default', taskQueue });
  const running = worker.run();
  try {
    for (const [size, width] of [[1, 1], [20, 1], [20, 20], [100, 10]] as const) {
      const { runbook, planHash } = chain(size, width);
      const input: RunInput = { runbook, planHash, params: {}, trigger: { type: 'manual', by: 'bench' } };
      const samples: number[] = [];
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        await client.workflow.execute(runProtocol.workflowType, { taskQueue, workflowId: `bench-${randomUUID()}`, args: [input] });
        samples.push(performance.now() - started);
      }
      const best = Math.min(...samples);
      console.log(
        `run of ${String(size).padStart(3)} shell nodes, ${String(width).padStart(2)} lanes   best ${best.toFixed(0).padStart(6)} ms   ${(best / size).toFixed(1).padStart(6)} ms/node   (samples ${samples.map((s) => s.toFixed(0)).join(', ')})`,
      );
    }
  } finally {
    worker.shutdown();
    await running;
    await native.close();
    await connection.close();
    await server.stop();
  }
}
