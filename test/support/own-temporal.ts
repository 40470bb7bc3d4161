import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ensureTemporalCli } from '../../scripts/temporal-cli.js';
import { startDevServer, type DevServer } from '../../scripts/temporal-dev-server.js';
import { freePort } from './free-port.js';

/**
 * A Temporal dev server of the test's own, for tests that make Temporal unreachable: frozen
 * (SIGSTOP: connections accepted, nothing answered, as in a partition), stopped (connections
 * refused) and started again on the same port. Never the shared server of the global setup.
 */
export interface OwnTemporal {
  address: string;
  /** A client environment connected to it; it reconnects by itself after a restart. */
  env: TestWorkflowEnvironment;
  freeze(): void;
  thaw(): void;
  /** Stops the server; the port then refuses connections. */
  stop(): Promise<void>;
  /** Starts a fresh server (in memory) on the same port. */
  restart(): Promise<void>;
  /** Stops the server and closes the client; safe to call in any state. */
  close(): Promise<void>;
}

export async function startOwnTemporal(): Promise<OwnTemporal> {
  const cli = ensureTemporalCli();
  const port = await freePort();
  const start = () => startDevServer({ cli, port, readyTimeoutMs: 120_000 });
  let server: DevServer | undefined = await start();
  const address = server.address;
  const env = await TestWorkflowEnvironment.createFromExistingServer({ address });
  const stopServer = async () => {
    if (!server) return;
    process.kill(server.process.pid!, 'SIGCONT');
    await server.stop();
    server = undefined;
  };
  return {
    address,
    env,
    freeze: () => process.kill(server!.process.pid!, 'SIGSTOP'),
    thaw: () => process.kill(server!.process.pid!, 'SIGCONT'),
    stop: stopServer,
    async restart() {
      await stopServer();
      server = await start();
    },
    async close() {
      await stopServer();
      await env.teardown();
    },
  };
}
