import { describe, expect, it } from 'vitest';
import { rsyncArguments } from '../../../workers/src/activities/rsync-arguments.js';
import { rsyncFailure } from '../../../workers/src/activities/rsync-exit.js';
import { decodeName, parseChange, RsyncOutputReader } from '../../../workers/src/activities/rsync-output.js';

// Lines as rsync 3.x prints them with --out-format='[rw] %i %n' (see test/scenarios/steps/rsync.test.ts for the real thing).

describe('reading rsync output', () => {
  it('decodes rsync\'s \\#ooo escapes, and only those', () => {
    expect(decodeName('new\\#012line')).toBe('new\nline');
    expect(decodeName('back\\#134#012slash')).toBe('back\\#012slash');
    expect(decodeName('caf\\#303\\#251')).toBe('café');
    expect(decodeName('plain\\name')).toBe('plain\\name');
  });

  it('names the action and type of each itemized line', () => {
    expect(parseChange('<f+++++++++ app.js')).toEqual({ path: 'app.js', action: 'created', type: 'file', itemized: '<f+++++++++' });
    expect(parseChange('>fcst...... db/dump.sql')).toEqual({ path: 'db/dump.sql', action: 'updated', type: 'file', itemized: '>fcst......' });
    expect(parseChange('cd+++++++++ assets/')).toMatchObject({ action: 'created', type: 'directory' });
    expect(parseChange('cLc.t...... current')).toMatchObject({ action: 'updated', type: 'symlink' });
    expect(parseChange('.d..t...... ./')).toMatchObject({ path: './', action: 'attributes', type: 'directory' });
    expect(parseChange('*deleting   old/')).toEqual({ path: 'old/', action: 'deleted', type: 'directory', itemized: '*deleting' });
    expect(parseChange('*deleting   old.txt')).toEqual({ path: 'old.txt', action: 'deleted', itemized: '*deleting' });
    expect(parseChange('<f+++++++++ sp ace  ')).toMatchObject({ path: 'sp ace  ' });
    expect(parseChange('garbage')).toBeUndefined();
  });

  it('keeps change lines and stats across chunk boundaries, ignores other lines, and cuts the list at the cap while counting on', () => {
    const reader = new RsyncOutputReader(200);
    const text = [
      'created directory /srv/x',
      ...Array.from({ length: 10 }, (_, i) => `[rw] <f+++++++++ file-${i}`),
      'Number of regular files transferred: 10',
      'Total bytes sent: 1,234',
      'Total bytes received: 56',
      '',
    ].join('\n');
    for (let i = 0; i < text.length; i += 7) reader.push(Buffer.from(text.slice(i, i + 7)));
    reader.end();
    expect(reader.changeCount).toBe(10);
    expect(reader.changesTruncated).toBe(true);
    expect(reader.changes.length).toBeGreaterThan(0);
    expect(reader.changes.length).toBeLessThan(10);
    expect(JSON.stringify(reader.changes).length).toBeLessThanOrEqual(200 + reader.changes.length + 2);
    expect(reader.stats).toEqual({ filesTransferred: 10, bytesSent: 1234, bytesReceived: 56 });
  });
});

describe('rsync argv', () => {
  const config = { direction: 'push' as const, localPath: 'build/', remotePath: 'releases/v2/', checksum: true, delete: false, dryRun: true, exclude: ['--rsh=evil'], bandwidthLimitKiBps: 100, createParents: false, compress: false };

  it('puts every option before "--" and the paths after it, relative paths behind ./', () => {
    const args = rsyncArguments(config, 'ssh -F /dev/null');
    const end = args.indexOf('--');
    expect(args.slice(end)).toEqual(['--', './build/', 'runwright-target:./releases/v2/']);
    expect(args.slice(0, end)).toEqual(expect.arrayContaining(['--protect-args', '--checksum', '--dry-run', '--bwlimit=100', '--exclude=--rsh=evil', '--rsh=ssh -F /dev/null']));
    expect(args).not.toContain('--delete');
    expect(rsyncArguments({ ...config, direction: 'pull', localPath: '/backups/', remotePath: '/var/lib/db/' }, 'ssh').slice(-2)).toEqual(['runwright-target:/var/lib/db/', '/backups/']);
  });
});

describe('rsync failures', () => {
  it('maps exit codes and ssh\'s words to step errors', () => {
    expect(rsyncFailure(255, 'Host key verification failed.\r\nrsync: connection unexpectedly closed (0 bytes received so far) [sender]\nrsync error: unexplained error (code 255) at io.c(232) [sender=3.5.0]\n', 'h')).toMatchObject({
      type: 'HostKeyRejected',
      nonRetryable: true,
    });
    expect(rsyncFailure(255, 'root@runwright-target: Permission denied (publickey).\n', 'h')).toMatchObject({ type: 'AuthenticationFailed' });
    expect(rsyncFailure(12, 'sh: 1: rsync: not found\nrsync: connection unexpectedly closed\n', 'h')).toMatchObject({ message: expect.stringContaining('rsync is not installed on the host') });
    expect(rsyncFailure(23, 'rsync: [sender] change_dir "/nope" failed: No such file or directory (2)\nrsync error: some files/attrs were not transferred (see previous errors) (code 23) at main.c(1338) [sender=3.5.0]\n', 'h')).toEqual({
      type: 'UnexpectedExitCode',
      nonRetryable: false,
      message: 'h: rsync exited with 23 (partial transfer: some files or attributes were not transferred): rsync: [sender] change_dir "/nope" failed: No such file or directory (2)',
    });
    expect(rsyncFailure(1, 'rsync: --bogus: unknown option\n', 'h')).toMatchObject({ type: 'InvalidConfig', nonRetryable: true });
    expect(rsyncFailure(30, 'rsync error: timeout in data send/receive (code 30)\n', 'h')).toMatchObject({ type: 'TimedOut' });
  });
});
