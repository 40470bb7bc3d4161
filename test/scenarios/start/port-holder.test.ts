// Who holds a port, asked the two ways npm start asks: `ss -ltnpH` and /proc. Both must name this
// very process for a port it listens on, and nobody for a port no one listens on.
import { createServer, type Server } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeListener, listenerFromProc, listenerFromSs, listenerOn } from '../../../scripts/supervisor/listener.js';
import { freePort } from '../../support/free-port.js';

let server: Server;
let port: number;
const ownCommand = readFileSync('/proc/self/cmdline', 'utf8').replace(/\0+$/, '').replace(/\0/g, ' ');

beforeAll(async () => {
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});

afterAll(() => server.close());

describe('who holds a port', () => {
  it('ss names the listening process and its command line', () => {
    expect(listenerFromSs(port)).toEqual({ pid: process.pid, command: ownCommand });
  });

  it('/proc names it too, for machines without ss', () => {
    expect(listenerFromProc(port)).toEqual({ pid: process.pid, command: ownCommand });
  });

  it('names nobody for a free port, and says only "in use" when it cannot tell', async () => {
    const free = await freePort();
    expect(listenerFromSs(free)).toBeUndefined();
    expect(listenerFromProc(free)).toBeUndefined();
    expect(listenerOn(free)).toBeUndefined();
    expect(describeListener(undefined)).toMatch(/^is in use/);
    expect(describeListener({ pid: 42, command: 'x'.repeat(300) })).toMatch(/^is taken by pid 42: x{157}…$/);
  });
});
