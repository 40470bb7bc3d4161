import type { IncomingMessage } from 'node:http';

const rawBodies = new WeakMap<IncomingMessage, Buffer>();

/** `express.json`'s `verify` hook: keeps the exact bytes, which signatures are computed over. */
export function keepRawBody(request: IncomingMessage, _response: unknown, body: Buffer): void {
  rawBodies.set(request, body);
}

export function rawBodyOf(request: IncomingMessage): Buffer | undefined {
  return rawBodies.get(request);
}
