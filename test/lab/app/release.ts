import { chownSync, copyFileSync, lchownSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The lab app's name: its supervisor program, its folder under a host's `srv/`. */
export const appName = 'shop-api';
/** The port the app listens on, on its host's own address. */
export const appPort = 8080;

/** A release built broken on purpose (see server.mjs). */
export type AppFault = { kind: 'unhealthy' } | { kind: 'errors'; afterSeconds: number; ratio: number };

export const versionPattern = /^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$/;

const serverFile = join(dirname(fileURLToPath(import.meta.url)), 'server.mjs');

/**
 * Writes release `version` of the app into `folder` (made if missing): the artifact tree a
 * release pushes to `releases/<version>/` on a host. `owner` gets every file (the login user, so
 * a deploy over ssh can replace them).
 */
export function buildRelease(folder: string, version: string, options: { fault?: AppFault; owner?: { uid: number; gid: number } } = {}): string {
  if (!versionPattern.test(version)) throw new Error(`release version ${version} does not match ${versionPattern}`);
  mkdirSync(folder, { recursive: true, mode: 0o755 });
  copyFileSync(serverFile, join(folder, 'server.mjs'));
  writeFileSync(join(folder, 'release.json'), `${JSON.stringify({ version, ...(options.fault && { fault: options.fault }) }, null, 2)}\n`);
  if (options.owner) for (const path of [folder, ...readdirSync(folder).map((f) => join(folder, f))]) chownSync(path, options.owner.uid, options.owner.gid);
  return folder;
}

/** Points `<appDir>/current` at `releases/<version>` in one rename, as a deploy would (a reader never sees no link). */
export function switchCurrent(appDir: string, version: string, owner?: { uid: number; gid: number }): void {
  const next = join(appDir, `.current-${process.pid}`);
  rmSync(next, { force: true });
  symlinkSync(join('releases', version), next);
  if (owner) lchownSync(next, owner.uid, owner.gid);
  renameSync(next, join(appDir, 'current'));
}
