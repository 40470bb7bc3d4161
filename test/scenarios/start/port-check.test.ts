// The pieces of npm start's port check, on real sockets. Who holds a port, asked the two ways the
// launcher asks (`ss -ltnpH` and /proc): both must name this very process for a port it listens
// on, and nobody for a free one. And the plan: taken ports refused together, or moved when allowed.
import { createServer, type Server } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeListener, listenerFromProc, listenerFromSs, listenerOn } from '../../../scripts/supervisor/listener.js';
import { planPorts, PortsUnavailable } from '../../../scripts/supervisor/port-plan.js';
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

describe('the port plan', () => {
  const request = (setting: string, port: number, host = '127.0.0.1') => ({ setting, what: setting.toLowerCase(), host, port });

  it('keeps free ports, and lists every taken one in one refusal', async () => {
    const free = await freePort();
    expect(await planPorts([request('A', free)], { auto: false })).toEqual([{ ...request('A', free), chosen: free }]);
    const refusal = await planPorts([request('A', port), request('B', free), request('C', 1, '127.0.0.1')], { auto: false }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(PortsUnavailable);
    const problems = (refusal as PortsUnavailable).problems;
    expect(problems).toHaveLength(process.getuid?.() === 0 ? 1 : 2);
    expect(problems[0]).toBe(`port ${port} on 127.0.0.1 (A, a) ${describeListener({ pid: process.pid, command: ownCommand })}`);
  });

  it('refuses two settings naming the same port before binding anything', async () => {
    const free = await freePort();
    await expect(planPorts([request('A', free), request('B', free)], { auto: true })).rejects.toThrow(`A and B both name port ${free}`);
  });

  it('says why a port cannot be used when it is not taken but unusable (an address not on this machine)', async () => {
    await expect(planPorts([request('A', await freePort(), '192.0.2.1')], { auto: true })).rejects.toThrow(/cannot be used: EADDRNOTAVAIL/);
  });

  it('with auto, moves a taken port to a distinct free one and says why; 0 always gets one', async () => {
    const choices = await planPorts([request('A', port), request('B', 0)], { auto: true });
    expect(choices[0]!.chosen).not.toBe(port);
    expect(choices[0]!.note).toBe(`RUNWRIGHT_PORTS=auto: port ${port} on 127.0.0.1 (A, a) ${describeListener({ pid: process.pid, command: ownCommand })}`);
    expect(choices[1]!.note).toBe('B=0: a free port');
    expect(new Set([port, choices[0]!.chosen, choices[1]!.chosen]).size).toBe(3);
  });
});
