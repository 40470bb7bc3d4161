import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keysForHost, knownHostsName, parseKnownHosts } from '../../../workers/src/activities/known-hosts.js';
import { fingerprintOf, hostKeyAlgorithms, hostKeyRefusal } from '../../../workers/src/activities/ssh-host-trust.js';

// Keys and hashed names come from OpenSSH's own ssh-keygen, so the parser is held to the tool
// that writes these files, not to fixtures written by hand.

let folder: string;
/** `type base64` of a fresh public key, and its blob. */
let ed: { line: string; blob: Buffer };
let other: { line: string; blob: Buffer };
let rsa: { line: string; blob: Buffer };

function newKey(name: string, type: string): { line: string; blob: Buffer } {
  const file = join(folder, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '2048'] : []), '-N', '', '-C', name, '-f', file]);
  const [keyType, base64] = readFileSync(`${file}.pub`, 'utf8').split(' ');
  return { line: `${keyType} ${base64}`, blob: Buffer.from(base64!, 'base64') };
}

/** What `ssh-keygen -H` makes of a known_hosts text. */
function hashed(text: string): string {
  const file = join(folder, `hashed-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, text);
  execFileSync('ssh-keygen', ['-q', '-H', '-f', file], { stdio: 'ignore' });
  return readFileSync(file, 'utf8');
}

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'runwright-known-hosts-'));
  ed = newKey('ed', 'ed25519');
  other = newKey('other', 'ed25519');
  rsa = newKey('rsa', 'rsa');
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

const lookup = (text: string, host: string, port = 22) => keysForHost(parseKnownHosts(text), knownHostsName(host, port));

describe('known_hosts lines', () => {
  it('finds a host by name, by any name of a comma list, case-insensitively', () => {
    const text = `# fleet\n\ndb-1.internal,10.0.0.5 ${ed.line}\napp-1.internal ${other.line} a comment\n`;
    expect(lookup(text, 'db-1.internal')).toEqual([{ revoked: false, keyType: 'ssh-ed25519', key: ed.blob, line: 3 }]);
    expect(lookup(text, '10.0.0.5')).toHaveLength(1);
    expect(lookup(text, 'DB-1.Internal')).toHaveLength(1);
    expect(lookup(text, 'app-1.internal')[0]!.key).toEqual(other.blob);
    expect(lookup(text, 'db-2.internal')).toEqual([]);
  });

  it('looks a non-22 port up as [host]:port, and port 22 as the bare name', () => {
    const text = `[db-1.internal]:2222 ${ed.line}\ndb-1.internal ${other.line}\n`;
    expect(lookup(text, 'db-1.internal', 2222).map((k) => k.key)).toEqual([ed.blob]);
    expect(lookup(text, 'db-1.internal', 22).map((k) => k.key)).toEqual([other.blob]);
    expect(lookup(text, 'db-1.internal', 2200)).toEqual([]);
    expect(knownHostsName('::1', 2222)).toBe('[::1]:2222');
  });

  it('matches names hashed by ssh-keygen -H, plain and with a port, and nothing else', () => {
    const text = hashed(`db-1.internal ${ed.line}\n[127.0.0.2]:2222 ${other.line}\n`);
    expect(text).not.toContain('db-1.internal');
    expect(text).toMatch(/^\|1\|/);
    expect(lookup(text, 'db-1.internal').map((k) => k.key)).toEqual([ed.blob]);
    expect(lookup(text, '127.0.0.2', 2222).map((k) => k.key)).toEqual([other.blob]);
    expect(lookup(text, '127.0.0.2')).toEqual([]);
    expect(lookup(text, 'db-2.internal')).toEqual([]);
  });

  it('keeps every key type listed for a host', () => {
    const text = `db-1.internal ${ed.line}\ndb-1.internal ${rsa.line}\n`;
    expect(lookup(text, 'db-1.internal').map((k) => k.keyType)).toEqual(['ssh-ed25519', 'ssh-rsa']);
  });

  it('applies wildcards and negated patterns as ssh does', () => {
    const text = `*.shop.internal,!app-9.shop.internal ${ed.line}\napp-?.db ${other.line}\n`;
    expect(lookup(text, 'app-3.shop.internal')).toHaveLength(1);
    expect(lookup(text, 'app-9.shop.internal')).toEqual([]);
    expect(lookup(text, 'shopXinternal')).toEqual([]);
    expect(lookup(text, 'app-1.db')).toHaveLength(1);
    expect(lookup(text, 'app-10.db')).toEqual([]);
  });

  it('marks @revoked keys, leaves @cert-authority lines out and skips lines ssh would skip', () => {
    const text = [`@revoked * ${other.line}`, `@cert-authority *.internal ${ed.line}`, '@unknown db-1.internal ssh-ed25519 AAAA', 'db-1.internal ssh-ed25519', 'db-1.internal ssh-ed25519 not*base64', '|1|bogus db-1.internal', `db-1.internal ${ed.line}`].join('\n');
    expect(lookup(text, 'db-1.internal')).toEqual([
      { revoked: true, keyType: 'ssh-ed25519', key: other.blob, line: 1 },
      { revoked: false, keyType: 'ssh-ed25519', key: ed.blob, line: 7 },
    ]);
  });
});

describe('trusting a presented host key', () => {
  const file = '/etc/ssh/ssh_known_hosts';
  const known = (text: string, host = 'db-1.internal', port = 22) => ({ file, name: knownHostsName(host, port), keys: lookup(text, host, port) });

  it('accepts a key the file lists for the host, among others', () => {
    expect(hostKeyRefusal(ed.blob, { known: known(`db-1.internal ${rsa.line}\ndb-1.internal ${ed.line}\n`), acceptUnknownHosts: false })).toBeUndefined();
  });

  it('refuses another key for a listed host, naming the host and both fingerprints, even when unknown hosts are accepted', () => {
    const refusal = hostKeyRefusal(other.blob, { known: known(`db-1.internal ${ed.line}\n`), acceptUnknownHosts: true });
    expect(refusal).toContain(`host key ${fingerprintOf(other.blob)} does not match ${file}, which lists ${fingerprintOf(ed.blob)} (ssh-ed25519, line 1) for db-1.internal`);
  });

  it('refuses a revoked key, even one the file also lists and the runbook pins', () => {
    const text = `@revoked * ${ed.line}\ndb-1.internal ${ed.line}\n`;
    expect(hostKeyRefusal(ed.blob, { known: known(text), pinnedKey: fingerprintOf(ed.blob), acceptUnknownHosts: true })).toBe(`host key ${fingerprintOf(ed.blob)} is marked @revoked in ${file} (line 1); refusing to connect`);
  });

  it('lets a pin decide over the file', () => {
    const trust = { known: known(`db-1.internal ${ed.line}\n`), pinnedKey: fingerprintOf(other.blob), acceptUnknownHosts: false };
    expect(hostKeyRefusal(other.blob, trust)).toBeUndefined();
    expect(hostKeyRefusal(ed.blob, trust)).toContain(`differs from the pinned ${fingerprintOf(other.blob)}`);
  });

  it('refuses a host the file does not list unless unknown hosts are accepted', () => {
    const trust = { known: known(`db-2.internal ${ed.line}\n`), acceptUnknownHosts: false };
    expect(hostKeyRefusal(ed.blob, trust)).toBe(`host key ${fingerprintOf(ed.blob)} is not pinned in hostKeys, db-1.internal is not in ${file}, and acceptUnknownHosts is off`);
    expect(hostKeyRefusal(ed.blob, { ...trust, acceptUnknownHosts: true })).toBeUndefined();
  });

  it('offers the algorithms of the known key types first', () => {
    expect(hostKeyAlgorithms({ known: known(`db-1.internal ${rsa.line}\n`), acceptUnknownHosts: false })!.slice(0, 4)).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa', 'ssh-ed25519']);
    expect(hostKeyAlgorithms({ known: known(`db-1.internal ${ed.line}\n`), acceptUnknownHosts: false })![0]).toBe('ssh-ed25519');
    expect(hostKeyAlgorithms({ acceptUnknownHosts: true })).toBeUndefined();
  });
});
