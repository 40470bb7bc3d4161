import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CancelledFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AddressPolicy } from '../../../workers/src/config/address-policy.js';
import type { ActivityConfig } from '../../../workers/src/config/worker-config.js';
import { envSecretSource } from '../../../workers/src/secrets/env-secret-source.js';
import { activityFailure, quietActivityEnvironment, runActivity } from '../../support/activities.js';
import { eventually } from '../../support/eventually.js';
import { freePort } from '../../support/free-port.js';
import { historyText } from '../../support/history-text.js';
import { processGone } from '../../support/process-alive.js';
import { finalState, startTestRun } from '../../support/run-helpers.js';
import { connectToTestServer, startTestWorker, type RunningWorker } from '../../support/temporal.js';
import { startSshd, type RunningSshd } from './servers/sshd.js';

// The rsync step against a real OpenSSH server on loopback; the remote rsync is this machine's.

let env: TestWorkflowEnvironment;
let worker: RunningWorker;
let folder: string;
let sshd: RunningSshd;
let host: string;
let activityConfig: ActivityConfig;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'runwright-rsync-'));
  sshd = await startSshd(folder);
  host = `127.0.0.1:${sshd.port}`;
  activityConfig = { secrets: envSecretSource({ RUNWRIGHT_SECRET_DEPLOY_KEY: sshd.clientKey }), addresses: new AddressPolicy(['127.0.0.0/8']) };
  env = await connectToTestServer();
  worker = await startTestWorker(env, { kinds: ['rsync'], activityConfig });
});

afterAll(async () => {
  await worker?.stop();
  await sshd?.stop();
  await env?.teardown();
  rmSync(folder, { recursive: true, force: true });
});

let count = 0;
/** A fresh folder under the test's folder. */
function fresh(name: string): string {
  const path = join(folder, `${++count}-${name}`);
  mkdirSync(path, { recursive: true });
  return path;
}

function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), content);
  }
}

/** Every file under root, relative, sorted; folders end with `/`. */
function listTree(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .map((entry) => {
      const relative = join(entry.parentPath, entry.name).slice(root.length + 1);
      return entry.isDirectory() ? `${relative}/` : relative;
    })
    .sort();
}

const base = () => ({ host, user: 'root', privateKey: { secret: 'DEPLOY_KEY' }, hostKeys: { [host]: sshd.hostFingerprint } });
const pathsOf = (changes: { path: string; action: string }[], action?: string) => changes.filter((c) => !action || c.action === action).map((c) => c.path).sort();

/** Processes whose command line or working folder mention `text` (this test's folders are unique). */
function processesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      let cwd = '';
      try {
        cwd = readlinkSync(`/proc/${pid}/cwd`);
      } catch {
        // Not ours to read, or gone.
      }
      if (cmdline.includes(text) || cwd.startsWith(text)) pids.push(Number(pid));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids.filter((pid) => pid !== process.pid);
}

function argvOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

function childrenOf(parent: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent;
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('rsync against a real OpenSSH server', () => {
  it('pushes a tree through the interpreter on real Temporal; the same push again changes nothing; the key stays out of history', async () => {
    const source = fresh('source');
    writeTree(source, { 'index.html': '<h1>v2</h1>', 'assets/app.js': 'console.log(2)', 'assets/empty.css': '' });
    const target = join(fresh('target'), 'release');
    const handle = await startTestRun(
      env,
      worker.taskQueue,
      {
        parameters: { target: { type: 'string' } },
        secrets: ['DEPLOY_KEY'],
        nodes: [
          { id: 'push', kind: 'rsync', config: { ...base(), localPath: `${source}/`, remotePath: '{{ params.target }}' } },
          { id: 'again', kind: 'rsync', config: { ...base(), localPath: `${source}/`, remotePath: '{{ params.target }}' } },
        ],
        edges: [{ from: 'push', to: 'again' }],
      },
      { target },
    );
    const state = await finalState(handle);
    expect(state.status).toBe('succeeded');
    const first = state.nodes.push!.output as { changes: { path: string; action: string; type: string }[]; changeCount: number; filesTransferred: number; bytesSent: number; hostKey: string; dryRun: boolean };
    expect(pathsOf(first.changes, 'created')).toEqual(['./', 'assets/', 'assets/app.js', 'assets/empty.css', 'index.html']);
    expect(first.changes.find((c) => c.path === 'index.html')).toMatchObject({ type: 'file', action: 'created' });
    expect(first).toMatchObject({ changeCount: 5, filesTransferred: 3, hostKey: sshd.hostFingerprint, dryRun: false });
    expect(first.bytesSent).toBeGreaterThan(0);
    expect(listTree(target)).toEqual(['assets/', 'assets/app.js', 'assets/empty.css', 'index.html']);
    expect(readFileSync(join(target, 'index.html'), 'utf8')).toBe('<h1>v2</h1>');

    expect(state.nodes.again!.output).toMatchObject({ changes: [], changeCount: 0, filesTransferred: 0 });
    const keyLine = sshd.clientKey.split('\n')[1]!;
    expect(await historyText(handle)).not.toContain(keyLine);
  });

  it('catches a change that keeps size and modification time only with checksum', async () => {
    const source = fresh('source');
    const target = fresh('target');
    writeTree(source, { 'config.ini': 'mode=blue' });
    await runActivity('rsync', { ...base(), localPath: `${source}/`, remotePath: `${target}/` }, { activityConfig });
    const { mtime } = statSync(join(source, 'config.ini'));
    writeFileSync(join(source, 'config.ini'), 'mode=gren');
    utimesSync(join(source, 'config.ini'), mtime, mtime);

    const quick = await runActivity('rsync', { ...base(), localPath: `${source}/`, remotePath: `${target}/` }, { activityConfig });
    expect(quick.output.changeCount).toBe(0);
    expect(readFileSync(join(target, 'config.ini'), 'utf8')).toBe('mode=blue');

    const checked = await runActivity('rsync', { ...base(), localPath: `${source}/`, remotePath: `${target}/`, checksum: true }, { activityConfig });
    expect(checked.output.changes).toEqual([{ path: 'config.ini', action: 'updated', type: 'file', itemized: expect.stringMatching(/^<fc/) }]);
    expect(readFileSync(join(target, 'config.ini'), 'utf8')).toBe('mode=gren');
  });

  it('deletes files the source lacks only when asked, and never excluded ones', async () => {
    const source = fresh('source');
    const target = fresh('target');
    writeTree(source, { 'app.js': 'v1' });
    writeTree(target, { 'must-survive.txt': 'operator notes', 'cache/old.bin': 'x', 'keep.log': 'log' });

    const plain = await runActivity('rsync', { ...base(), localPath: `${source}/`, remotePath: `${target}/` }, { activityConfig });
    expect(pathsOf(plain.output.changes, 'deleted')).toEqual([]);
    expect(listTree(target)).toEqual(['app.js', 'cache/', 'cache/old.bin', 'keep.log', 'must-survive.txt']);

    const deleting = await runActivity('rsync', { ...base(), localPath: `${source}/`, remotePath: `${target}/`, delete: true, exclude: ['*.log'] }, { activityConfig });
    expect(pathsOf(deleting.output.changes, 'deleted')).toEqual(['cache/', 'cache/old.bin', 'must-survive.txt']);
    expect(deleting.output.changes.find((c) => c.path === 'cache/')).toMatchObject({ type: 'directory', itemized: '*deleting' });
    expect(listTree(target)).toEqual(['app.js', 'keep.log']);
  });

  it('changes nothing in a dry run and lists what would change', async () => {
    const source = fresh('source');
    const target = fresh('target');
    writeTree(source, { 'new.txt': 'new', 'changed.txt': 'after' });
    writeTree(target, { 'changed.txt': 'before!', 'extra.txt': 'extra' });
    const before = listTree(target);

    const dry = await runActivity('rsync', { ...base(), localPath: `${source}/`, remotePath: `${target}/`, delete: true, dryRun: true }, { activityConfig });
    expect(dry.output.dryRun).toBe(true);
    expect(pathsOf(dry.output.changes, 'created')).toEqual(['new.txt']);
    expect(pathsOf(dry.output.changes, 'updated')).toEqual(['changed.txt']);
    expect(pathsOf(dry.output.changes, 'deleted')).toEqual(['extra.txt']);
    expect(listTree(target)).toEqual(before);
    expect(readFileSync(join(target, 'changed.txt'), 'utf8')).toBe('before!');
  });

  it('pulls a tree from the host', async () => {
    const remote = fresh('remote');
    writeTree(remote, { 'db/dump.sql': 'select 1;', 'db/manifest.json': '{}' });
    const local = join(fresh('local'), 'backups', 'today');
    const pulled = await runActivity('rsync', { ...base(), direction: 'pull', localPath: `${local}/`, remotePath: `${remote}/db/`, createParents: true }, { activityConfig });
    expect(pulled.output.direction).toBe('pull');
    expect(pathsOf(pulled.output.changes, 'created')).toEqual(['dump.sql', 'manifest.json']);
    expect(pulled.output.changes.find((c) => c.path === 'dump.sql')!.itemized).toMatch(/^>f\+/);
    expect(pulled.output.bytesReceived).toBeGreaterThan('select 1;'.length);
    expect(listTree(local)).toEqual(['dump.sql', 'manifest.json']);
  });

  it('accepts a bandwidth limit and still transfers everything', async () => {
    const source = fresh('source');
    const target = fresh('target');
    const blob = randomBytes(200_000);
    writeTree(source, { 'blob.bin': blob });
    const limited = await runActivity('rsync', { ...base(), localPath: `${source}/`, remotePath: `${target}/`, bandwidthLimitKiBps: 2048 }, { activityConfig });
    expect(limited.output.bytesSent).toBeGreaterThan(blob.length);
    expect(readFileSync(join(target, 'blob.bin')).equals(blob)).toBe(true);
  });

  it('refuses a host whose key differs from its pin before anything is transferred, without retrying', async () => {
    const source = fresh('source');
    writeTree(source, { 'secret-release.tar': 'payload' });
    const target = join(fresh('target'), 'never');
    const other = join(folder, 'other_host_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    const wrongPin = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${other}.pub`], { encoding: 'utf8' }).split(' ')[1]!;

    const failure = await activityFailure(
      runActivity('rsync', { ...base(), hostKeys: { [host]: wrongPin }, acceptUnknownHosts: true, localPath: `${source}/`, remotePath: `${target}/`, createParents: true }, { activityConfig }),
    );
    expect(failure).toMatchObject({ type: 'HostKeyRejected', nonRetryable: true, message: `${host}: host key ${sshd.hostFingerprint} differs from the pinned ${wrongPin}; refusing to connect` });
    expect(existsSync(target)).toBe(false);
    expect(existsSync(dirname(target)) && readdirSync(dirname(target))).toEqual([]);

    const unpinned = await activityFailure(runActivity('rsync', { ...base(), hostKeys: {}, localPath: `${source}/`, remotePath: `${target}/`, createParents: true }, { activityConfig }));
    expect(unpinned).toMatchObject({ type: 'HostKeyRejected', message: expect.stringContaining('is not pinned in hostKeys and acceptUnknownHosts is off') });
    expect(existsSync(target)).toBe(false);
  });

  it('trusts a host listed in a known_hosts file that ssh-keyscan wrote, as the ssh kind does', async () => {
    const knownHosts = join(folder, 'known_hosts');
    writeFileSync(knownHosts, execFileSync('ssh-keyscan', ['-T', '20', '-p', String(sshd.port), '127.0.0.1'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    const source = fresh('source');
    const target = fresh('target');
    writeTree(source, { 'a.txt': 'a' });
    const pushed = await runActivity('rsync', { ...base(), hostKeys: {}, knownHostsFile: knownHosts, localPath: `${source}/`, remotePath: `${target}/` }, { activityConfig });
    expect(pushed.output.hostKey).toBe(sshd.hostFingerprint);
    expect(listTree(target)).toEqual(['a.txt']);
  });

  it('keeps hostile names literal: files, the remote path, templated values and excludes never reach a shell or become options', async () => {
    // A name cannot hold a `/`, so the names' commands would touch `pwned` in whatever folder a
    // shell ran them from; the remote path's command names the marker itself.
    const marker = join(folder, 'pwned');
    const source = fresh('source');
    const hostile = {
      'sp ace.txt': '1',
      'semi;touch pwned': '2',
      '$(touch pwned)': '3',
      '`touch pwned`': '4',
      'new\nline': '5',
      '-e touch pwned': '6',
      "quote'd \"double\"": '7',
      'back\\slash': '8',
    };
    writeTree(source, hostile);
    const target = join(fresh('target'), `dst $(touch ${marker}); x\n'y'`);
    const handle = await startTestRun(
      env,
      worker.taskQueue,
      {
        parameters: { target: { type: 'string' }, skip: { type: 'string' } },
        secrets: ['DEPLOY_KEY'],
        nodes: [{ id: 'push', kind: 'rsync', config: { ...base(), localPath: `${source}/`, remotePath: '{{ params.target }}/', createParents: true, exclude: ['{{ params.skip }}'] } }],
      },
      { target, skip: `--rsh=touch ${marker}` },
    );
    const state = await finalState(handle);
    expect(state.status).toBe('succeeded');
    expect(listTree(target)).toEqual(Object.keys(hostile).sort());
    for (const [name, content] of Object.entries(hostile)) expect(readFileSync(join(target, name), 'utf8')).toBe(content);
    const changes = (state.nodes.push!.output as { changes: { path: string }[] }).changes;
    expect(pathsOf(changes as { path: string; action: string }[], 'created')).toEqual(Object.keys(hostile).sort());
    for (const place of [marker, ...[homedir(), process.cwd(), source, target, dirname(target)].map((d) => join(d, 'pwned'))]) expect(existsSync(place), place).toBe(false);
  });

  it('refuses a path that starts with "-", written or rendered from a template, naming the field', async () => {
    const source = fresh('source');
    expect(await activityFailure(runActivity('rsync', { ...base(), localPath: '-e', remotePath: 'x' }, { activityConfig }))).toMatchObject({
      type: 'InvalidConfig',
      nonRetryable: true,
      message: expect.stringMatching(/^localPath: a path must not start with "-"/),
    });
    const handle = await startTestRun(
      env,
      worker.taskQueue,
      { parameters: { target: { type: 'string' } }, secrets: ['DEPLOY_KEY'], nodes: [{ id: 'push', kind: 'rsync', config: { ...base(), localPath: `${source}/`, remotePath: '{{ params.target }}' } }] },
      { target: '--rsh=sh -c "touch /tmp/x"' },
    );
    const state = await finalState(handle);
    expect(state.nodes.push).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'InvalidConfig', message: expect.stringMatching(/^remotePath: a path must not start with "-"/) } });
  });

  it('refuses an address the worker\'s outbound policy refuses, before connecting', async () => {
    const source = fresh('source');
    const closed = { secrets: activityConfig.secrets, addresses: new AddressPolicy([]) };
    expect(await activityFailure(runActivity('rsync', { ...base(), localPath: `${source}/`, remotePath: 'x/' }, { activityConfig: closed }))).toMatchObject({
      type: 'AddressRefused',
      nonRetryable: true,
      message: expect.stringContaining('127.0.0.1 is a loopback address'),
    });
  });

  it('logs in with a passphrase-protected key, which ssh under BatchMode could not open itself', async () => {
    const keyFile = join(folder, 'locked_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'open sesame', '-C', 'locked', '-f', keyFile]);
    appendFileSync(join(folder, 'authorized_keys'), readFileSync(`${keyFile}.pub`));
    const withPassphrase = { secrets: envSecretSource({ RUNWRIGHT_SECRET_KEY_PASSPHRASE: 'open sesame' }), addresses: activityConfig.addresses };
    const source = fresh('source');
    const target = fresh('target');
    writeTree(source, { 'a.txt': 'a' });
    const config = { ...base(), privateKey: undefined, privateKeyFile: keyFile, passphrase: { secret: 'KEY_PASSPHRASE' }, localPath: `${source}/`, remotePath: `${target}/` };
    expect((await runActivity('rsync', config, { activityConfig: withPassphrase })).output.changes).toMatchObject([{ path: 'a.txt', action: 'created' }]);
    expect(listTree(target)).toEqual(['a.txt']);
    // The key file the step named is left as it was: only the worker's private copy was opened.
    expect(execFileSync('ssh-keygen', ['-y', '-P', 'open sesame', '-f', keyFile], { encoding: 'utf8' })).toMatch(/^ssh-ed25519 /);
    expect(await activityFailure(runActivity('rsync', { ...config, passphrase: 'wrong' }, { activityConfig: withPassphrase }))).toMatchObject({
      type: 'InvalidConfig',
      nonRetryable: true,
      message: expect.stringMatching(/^privateKeyFile \(with passphrase\): /),
    });
  });

  it('fails with errors that say what is wrong: a missing source, a refused key, a closed port, a remote folder rsync cannot make', async () => {
    const source = fresh('source');
    writeTree(source, { 'a.txt': 'a' });
    expect(await activityFailure(runActivity('rsync', { ...base(), localPath: join(source, 'nope/'), remotePath: 'x/' }, { activityConfig }))).toMatchObject({
      type: 'InvalidConfig',
      nonRetryable: true,
      message: `localPath: ${join(source, 'nope/')} does not exist on this worker`,
    });

    const stranger = join(folder, 'stranger');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', stranger]);
    expect(await activityFailure(runActivity('rsync', { ...base(), privateKey: undefined, privateKeyFile: stranger, localPath: `${source}/`, remotePath: 'x/' }, { activityConfig }))).toMatchObject({
      type: 'AuthenticationFailed',
      message: expect.stringContaining('Permission denied (publickey)'),
    });

    const closed = `127.0.0.1:${await freePort()}`;
    expect(await activityFailure(runActivity('rsync', { ...base(), host: closed, hostKeys: { [closed]: sshd.hostFingerprint }, localPath: `${source}/`, remotePath: 'x/' }, { activityConfig }))).toMatchObject({
      type: 'Unreachable',
      nonRetryable: false,
      message: `${closed}: ECONNREFUSED`,
    });

    const blocked = join(fresh('target'), 'a-file');
    writeFileSync(blocked, 'not a folder');
    const failure = await activityFailure(runActivity('rsync', { ...base(), localPath: `${source}/`, remotePath: `${blocked}/deeper/` }, { activityConfig }));
    expect(failure).toMatchObject({ type: 'UnexpectedExitCode', message: expect.stringMatching(new RegExp(`^${host}: rsync exited with \\d+ \\(.+\\): .*Not a directory`)) });
  });

  it('caps the listed changes at maxOutputBytes and still counts every one', async () => {
    const source = fresh('source');
    const target = fresh('target');
    writeTree(source, Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`file-${String(i).padStart(3, '0')}.txt`, String(i)])));
    // Writing 300 files can take over a second on a busy machine; equal folder times keep rsync from also listing `./`.
    const folderTime = new Date('2026-01-01T00:00:00Z');
    utimesSync(source, folderTime, folderTime);
    utimesSync(target, folderTime, folderTime);
    const pushed = await runActivity('rsync', { ...base(), localPath: `${source}/`, remotePath: `${target}/`, maxOutputBytes: 2000 }, { activityConfig });
    expect(pushed.output).toMatchObject({ changeCount: 300, changesTruncated: true, filesTransferred: 300 });
    expect(pushed.output.changes.length).toBeGreaterThan(0);
    expect(pushed.output.changes.length).toBeLessThan(300);
    expect(JSON.stringify(pushed.output.changes).length).toBeLessThan(2100);
    expect(readdirSync(target)).toHaveLength(300);
  });

  it('stops the transfer when cancelled: rsync, its ssh and the remote rsync end, and the key file is gone', async () => {
    const source = fresh('source');
    const target = fresh('target');
    writeTree(source, { 'big.bin': randomBytes(8 * 1024 * 1024) });
    const environment = quietActivityEnvironment();
    // 64 KiB/s keeps 8 MiB in flight for two minutes: the cancellation lands mid-transfer.
    const running = runActivity('rsync', { ...base(), localPath: `${source}/`, remotePath: `${target}/`, bandwidthLimitKiBps: 64 }, { activityConfig, environment });
    running.catch(() => undefined);

    // rsync writes into a hidden temporary file in the target while it receives.
    await eventually(async () => readdirSync(target), (names) => names.some((name) => name.startsWith('.big.bin.')), { what: 'a partial file in the target' });
    const local = processesMentioning(source);
    const ssh = local.flatMap(childrenOf).find((pid) => argvOf(pid)[0] === 'ssh')!;
    const remote = processesMentioning(target).filter((pid) => !local.includes(pid));
    expect(local.length).toBeGreaterThan(0);
    expect(ssh).toBeDefined();
    expect(remote.length).toBeGreaterThan(0);
    const sshArgv = argvOf(ssh);
    const keyFile = sshArgv[sshArgv.indexOf('-i') + 1]!;
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(keyFile)).mode & 0o777).toBe(0o700);

    environment.cancel();
    expect(await activityFailure(running)).toBeInstanceOf(CancelledFailure);
    for (const pid of [...local, ssh, ...remote]) expect(await processGone(pid), `process ${pid}`).toBe(true);
    expect(existsSync(dirname(keyFile))).toBe(false);
    expect(existsSync(join(target, 'big.bin'))).toBe(false);
  });
});
