import { spawn } from 'node:child_process';
import { connect } from 'node:net';

/** Whether something accepts connections on `host:port` right now. */
export function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/**
 * Runs a server in the foreground and waits until it accepts connections on its loopback port;
 * `stop()` ends it with `stopSignal` and waits for it to exit.
 */
export async function startListeningProcess(argv: readonly string[], port: number, stopSignal: NodeJS.Signals = 'SIGTERM') {
  const [program, ...args] = argv as [string, ...string[]];
  let log = '';
  const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (c: Buffer) => (log += c));
  child.stderr!.on('data', (c: Buffer) => (log += c));
  for (let i = 0; !(await portOpen(port)); i++) {
    if (child.exitCode !== null || i > 100) throw new Error(`${program} did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(stopSignal);
      await exited;
    },
  };
}
