// The outbound address policy covers every socket a step opens — HTTP, ssh, SMTP (notify) and
// PostgreSQL here; rsync calls the same `outboundAddress` — and is checked against the address
// actually connected to. Loopback, private, metadata and unspecified addresses are refused
// unless an entry allows them (a CIDR, address:port or host:port), and so is any IPv6 address
// that carries one in disguise. Each protocol is driven against a real server on loopback:
// refused when not allowed, working when allowed.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepErrors } from '@runwright/runbook';
import { AddressPolicy } from '../../workers/src/config/address-policy.js';
import { envSecretSource } from '../../workers/src/secrets/env-secret-source.js';
import { activityFailure, runActivity } from '../support/activities.js';
import { freePort } from '../support/free-port.js';
import { startHttpServer } from '../support/http-server.js';
import { postgresPassword, startPostgres, type RunningPostgres } from '../scenarios/steps/servers/postgres.js';
import { startSshd, type RunningSshd } from '../scenarios/steps/servers/sshd.js';

describe('the address policy', () => {
  const none = new AddressPolicy([]);

  it('refuses loopback, private, metadata and unspecified addresses, and IPv6 that carries them in disguise', () => {
    const refused = {
      '127.0.0.1': /loopback/,
      '10.1.2.3': /private/,
      '169.254.169.254': /linkLocal/,
      '100.64.0.1': /carrierGradeNat/,
      '0.0.0.0': /unspecified/,
      '0.1.2.3': /unspecified/,
      '::': /unspecified/,
      '::1': /loopback/,
      'fd00::1': /uniqueLocal/,
      'fe80::1': /linkLocal/,
      '::ffff:127.0.0.1': /127\.0\.0\.1 in disguise \(IPv4-mapped IPv6\), a loopback/,
      '::127.0.0.1': /127\.0\.0\.1 in disguise/,
      '::7f00:1': /127\.0\.0\.1 in disguise \(IPv4-compatible IPv6\)/,
      '::a9fe:a9fe': /169\.254\.169\.254 in disguise \(IPv4-compatible IPv6\), a linkLocal/,
      '::ffff:0:a00:1': /10\.0\.0\.1 in disguise \(IPv4-translated IPv6\)/,
      '64:ff9b::7f00:1': /127\.0\.0\.1 in disguise \(NAT64\)/,
      '64:ff9b::a9fe:a9fe': /169\.254\.169\.254 in disguise \(NAT64\)/,
      '64:ff9b:1::a00:1': /10\.0\.0\.1 in disguise \(NAT64 \(local use\)\)/,
      '2002:7f00:1::1': /127\.0\.0\.1 in disguise \(6to4\)/,
      '2002:c0a8:101::': /192\.168\.1\.1 in disguise \(6to4\), a private/,
      '2001:0:4136:e378:8000:63bf:80ff:fffe': /127\.0\.0\.1 in disguise \(Teredo\)/,
    };
    for (const [address, why] of Object.entries(refused)) {
      expect(none.refusal(address, 80), address).toMatch(why);
      expect(none.refusal(address, 80), address).toContain('RUNWRIGHT_OUTBOUND_ALLOW');
    }
    // Public addresses, and IPv6 forms of public IPv4 addresses (a NAT64 network reaches the internet so), are reached.
    for (const address of ['8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1']) {
      expect(none.refusal(address, 443), address).toBeUndefined();
    }
  });

  it('takes CIDRs, address:port and host:port entries; a port entry allows that port only', () => {
    const policy = new AddressPolicy(['10.0.0.0/8', '127.0.0.1:5432', '[::1]:22', 'db.internal:6432', '192.168.0.0/16:443']);
    expect(policy.refusal('10.9.8.7', 1)).toBeUndefined();
    expect(policy.refusal('127.0.0.1', 5432)).toBeUndefined();
    expect(policy.refusal('127.0.0.1', 5433)).toMatch(/loopback/);
    expect(policy.refusal('::ffff:127.0.0.1', 5432)).toBeUndefined();
    expect(policy.refusal('::1', 22)).toBeUndefined();
    expect(policy.refusal('::1', 23)).toMatch(/loopback/);
    expect(policy.refusal('192.168.4.5', 443)).toBeUndefined();
    expect(policy.refusal('192.168.4.5', 80)).toMatch(/private/);
    // A name entry allows the name as the step writes it, on its port, whatever it resolves to…
    expect(policy.refusal('172.16.0.9', 6432, 'db.internal')).toBeUndefined();
    expect(policy.refusal('172.16.0.9', 6432, 'DB.Internal.')).toBeUndefined();
    // …and nothing else that resolves there.
    expect(policy.refusal('172.16.0.9', 6432, 'evil.example')).toMatch(/private/);
    expect(policy.refusal('172.16.0.9', 5432, 'db.internal')).toMatch(/private/);
    for (const bad of ['intranet', 'db.internal:', '127.0.0.1:99999', '[::1]', 'a b:22', '10.0.0.0/33']) {
      expect(() => new AddressPolicy([bad]), bad).toThrow(`"${bad}"`);
    }
  });
});

const smtpPassword = 'smtp-policy-password';
let folder: string;
let sshd: RunningSshd;
let postgres: RunningPostgres;
let smtp: SMTPServer;
let smtpPort: number;
let smtpConnections = 0;
let http: Awaited<ReturnType<typeof startHttpServer>>;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'runwright-outbound-'));
  // The PostgreSQL server runs as postgres and must traverse this folder to its own.
  chmodSync(folder, 0o755);
  sshd = await startSshd(folder);
  postgres = await startPostgres(join(folder, 'pg'));
  http = await startHttpServer((_request, response) => response.writeHead(200).end('reached'));
  smtp = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect: (_session, callback) => {
      smtpConnections++;
      callback();
    },
    onAuth: (auth, _session, callback) => (auth.password === smtpPassword ? callback(null, { user: auth.username }) : callback(new Error('no'))),
    onData: (stream, _session, callback) => {
      stream.resume();
      stream.on('end', () => callback());
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  smtpPort = (smtp.server.address() as { port: number }).port;
}, 180_000);

afterAll(async () => {
  await sshd?.stop();
  postgres?.stop();
  await http?.close();
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
  rmSync(folder, { recursive: true, force: true });
});

const secrets = () =>
  envSecretSource({ RUNWRIGHT_SECRET_KEY: sshd.clientKey, RUNWRIGHT_SECRET_PG: postgresPassword, RUNWRIGHT_SECRET_SMTP: smtpPassword });
const allowing = (...entries: string[]) => ({ activityConfig: { secrets: secrets(), addresses: new AddressPolicy(entries) } });

type Policy = ReturnType<typeof allowing>;

/** One step of each protocol against its real server on loopback; `host` as the step writes it. */
const steps = {
  ssh: (host: string, policy: Policy) =>
    runActivity('ssh', { hosts: [`${host}:${sshd.port}`], user: 'root', privateKey: { secret: 'KEY' }, acceptUnknownHosts: true, command: ['true'] }, policy),
  postgres: (host: string, policy: Policy) =>
    runActivity('postgres.sql', { connection: { host, port: postgres.port, user: 'postgres', password: { secret: 'PG' } }, sql: 'SELECT 1 AS one' }, policy),
  smtp: (host: string, policy: Policy) =>
    runActivity('notify', { title: 'policy', email: { host, port: smtpPort, user: 'runwright', password: { secret: 'SMTP' }, from: 'r@example.test', to: ['o@example.test'] } }, policy),
  http: (host: string, policy: Policy) => runActivity('http', { url: `http://${host}:${new URL(http.url).port}/` }, policy),
};
const ports = () => ({ ssh: sshd.port, postgres: postgres.port, smtp: smtpPort, http: Number(new URL(http.url).port) });

describe('every socket a step opens', () => {
  for (const kind of Object.keys(steps) as (keyof typeof steps)[]) {
    it(`${kind}: refused when the address is not allowed, by literal address and by name, before connecting`, async () => {
      const connectionsBefore = smtpConnections;
      for (const policy of [allowing(), allowing(`127.0.0.1:${ports()[kind] + 1}`), allowing('10.0.0.0/8', '[::1]:1')]) {
        for (const host of ['127.0.0.1', 'localhost']) {
          const failure = await activityFailure(steps[kind](host, policy));
          expect(failure, `${kind} ${host} ${policy.activityConfig.addresses.allow.join(',')}`).toMatchObject({
            type: stepErrors.addressRefused,
            message: expect.stringMatching(/127\.0\.0\.1 is a loopback address, refused by the worker's outbound policy/),
          });
          expect(failure.nonRetryable, kind).toBe(true);
        }
      }
      if (kind === 'smtp') expect(smtpConnections).toBe(connectionsBefore);
    });

    it(`${kind}: works when its address and port are allowed (as address:port, or as host:port)`, async () => {
      for (const [entry, host] of [[`127.0.0.1:${ports()[kind]}`, '127.0.0.1'], [`localhost:${ports()[kind]}`, 'localhost'], ['127.0.0.0/8', '127.0.0.1']] as const) {
        const { output } = await steps[kind](host, allowing(entry));
        expect(output, `${kind} via ${entry}`).toBeDefined();
      }
    });
  }

  it('http: refuses an IPv6 literal that is loopback in disguise', async () => {
    const port = new URL(http.url).port;
    for (const host of ['[::127.0.0.1]', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '[64:ff9b::7f00:1]', '[::]', '0.0.0.0', '0', '2130706433', '127.1']) {
      const failure = await activityFailure(runActivity('http', { url: `http://${host}:${port}/` }, allowing()));
      expect(failure, host).toMatchObject({ type: stepErrors.addressRefused });
    }
  });

  it('postgres: a name that resolves to nothing is unreachable, and may be retried', async () => {
    const port = await freePort();
    const failure = await activityFailure(runActivity('postgres.sql', { connection: { host: 'no-such-host.invalid', port, user: 'x' }, sql: 'SELECT 1' }, allowing()));
    expect(failure).toMatchObject({ type: stepErrors.unreachable, message: expect.stringContaining('cannot resolve no-such-host.invalid') });
    expect(failure.nonRetryable).toBeFalsy();
  });
});
