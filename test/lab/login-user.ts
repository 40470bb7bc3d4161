import { execFileSync } from 'node:child_process';

export interface LoginUser {
  name: string;
  uid: number;
  gid: number;
}

/** The OS account every lab host's sshd lets in (one account; each lab has its own client key). */
export const labUserName = 'runwright-lab';

function lookup(name: string): LoginUser | undefined {
  try {
    const [, , uid, gid] = execFileSync('getent', ['passwd', name], { encoding: 'utf8' }).trim().split(':');
    return { name, uid: Number(uid), gid: Number(gid) };
  } catch {
    return undefined;
  }
}

/**
 * The lab's login user, created when missing (the lab runs as root: it also mounts tmpfs and
 * binds port 22). The password field is `*`, not useradd's default `!`: sshd refuses every
 * login, keys included, to an account whose password is locked with `!`.
 */
export function ensureLoginUser(name = labUserName): LoginUser {
  const existing = lookup(name);
  if (existing) return existing;
  if (process.getuid?.() !== 0) throw new Error(`the lab needs root (to create ${name}, mount tmpfs and bind port 22)`);
  try {
    execFileSync('useradd', ['--system', '--user-group', '--create-home', '--home-dir', `/home/${name}`, '--shell', '/bin/sh', '--password', '*', name], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    // Another lab created it at the same moment.
    if (!lookup(name)) throw error;
  }
  return lookup(name)!;
}
