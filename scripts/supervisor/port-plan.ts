// Every port `npm start` will listen on is checked before anything starts. A taken port stops
// the launch, naming what holds it — a server already on 7233 would otherwise answer in place
// of ours — unless RUNWRIGHT_PORTS=auto lets taken ports move, or a port set to 0 asks for one.
import { createServer } from 'node:net';
import { describeListener, listenerOn, type Listener } from './listener.js';

export interface PortRequest {
  /** The setting that names the port, e.g. RUNWRIGHT_API_PORT. */
  setting: string;
  /** What listens there, for people: "the API and editor". */
  what: string;
  host: string;
  /** 0 asks for a free port. */
  port: number;
}

export interface PortChoice extends PortRequest {
  chosen: number;
  /** Why `chosen` differs from `port`, when it does. */
  note?: string;
}

export interface TakenPort {
  request: PortRequest;
  /** ss or /proc's answer; undefined when neither could tell. */
  holder: Listener | undefined;
  /** Set when the port could not be bound for another reason than being in use. */
  error?: string;
}

export class PortsUnavailable extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/** Tries to listen: undefined when the port is free, else the error code (EADDRINUSE, EACCES…). */
export function tryListen(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}

function freePortOn(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export function describeTaken({ request, holder, error }: TakenPort): string {
  const where = `port ${request.port} on ${request.host} (${request.setting}, ${request.what})`;
  if (error) return `${where} cannot be used: ${error}`;
  return `${where} ${describeListener(holder)}`;
}

/**
 * Decides the port of every request, or throws PortsUnavailable listing each taken one. With
 * `auto`, a taken port is replaced by a free one; a port of 0 always is.
 */
export async function planPorts(requests: PortRequest[], options: { auto: boolean }): Promise<PortChoice[]> {
  const problems: string[] = [];
  const seen = new Map<number, PortRequest>();
  for (const request of requests) {
    const earlier = seen.get(request.port);
    if (request.port !== 0 && earlier) problems.push(`${earlier.setting} and ${request.setting} both name port ${request.port}`);
    seen.set(request.port, request);
  }
  if (problems.length > 0) throw new PortsUnavailable(problems);

  const choices: PortChoice[] = [];
  const taken: TakenPort[] = [];
  for (const request of requests) {
    if (request.port === 0) {
      choices.push({ ...request, chosen: await distinctFreePort(request.host, choices), note: `${request.setting}=0: a free port` });
      continue;
    }
    const error = await tryListen(request.host, request.port);
    if (error === undefined) {
      choices.push({ ...request, chosen: request.port });
      continue;
    }
    const problem: TakenPort = { request, holder: error === 'EADDRINUSE' ? listenerOn(request.port) : undefined, ...(error !== 'EADDRINUSE' && { error }) };
    if (options.auto && error === 'EADDRINUSE') {
      choices.push({ ...request, chosen: await distinctFreePort(request.host, choices), note: `RUNWRIGHT_PORTS=auto: ${describeTaken(problem)}` });
    } else {
      taken.push(problem);
    }
  }
  if (taken.length > 0) throw new PortsUnavailable(taken.map(describeTaken));
  return choices;
}

/** A free port not already handed to another request (the OS may offer the same one twice). */
async function distinctFreePort(host: string, choices: PortChoice[]): Promise<number> {
  for (;;) {
    const port = await freePortOn(host);
    if (!choices.some((c) => c.chosen === port)) return port;
  }
}
