import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { processAlive } from '../support/process-alive.js';

/** Where labs record which loopback net (127.0.N.0/24) they hold. */
const locks = '/tmp/runwright-lab-nets';

export interface LabNet {
  /** `127.0.N`: host k is `127.0.N.k`. */
  prefix: string;
  release(): void;
}

interface Holder {
  pid: number;
  root: string;
}

/** Unmounts whatever a dead lab left mounted under its folder, then removes the folder. */
export function cleanUpFolder(root: string): void {
  const mounts = readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[1]?.replaceAll('\\040', ' '))
    .filter((point): point is string => point !== undefined && (point === root || point.startsWith(`${root}/`)))
    .sort((a, b) => b.length - a.length);
  for (const point of mounts) execFileSync('umount', ['--lazy', point]);
  rmSync(root, { recursive: true, force: true });
}

function tryClaim(prefix: string, root: string): boolean {
  const file = `${locks}/${prefix}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, root } satisfies Holder));
      closeSync(fd);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let holder: Holder | undefined;
    try {
      holder = JSON.parse(readFileSync(file, 'utf8')) as Holder;
    } catch {
      // Being written by its claimer right now: taken.
      return false;
    }
    if (processAlive(holder.pid)) return false;
    // Its lab died without tearing down (its hosts died with it: see PidNamespace): clear what it left.
    cleanUpFolder(holder.root);
    try {
      unlinkSync(file);
    } catch {
      // Another lab cleared it first; the next openSync decides.
    }
  }
  return false;
}

/**
 * Claims a /24 of loopback for one lab, so two labs on a machine (two engineers, two test files
 * running at once) never bind the same addresses: exactly `exact` when given, else the first
 * free net from RUNWRIGHT_LAB_NET's (e.g. `127.0.10`; the default) up to 127.0.250.
 */
export function claimLabNet(root: string, exact?: string, from = process.env.RUNWRIGHT_LAB_NET || '127.0.10'): LabNet {
  mkdirSync(locks, { recursive: true });
  for (const prefix of [exact, from].filter((p): p is string => p !== undefined)) {
    if (!/^127\.\d{1,3}\.\d{1,3}$/.test(prefix)) throw new Error(`a lab net looks like 127.0.10, not ${prefix}`);
  }
  const [, second, third] = from.split('.').map(Number) as [number, number, number];
  const choices = exact ? [exact] : Array.from({ length: Math.max(0, 251 - third) }, (_, i) => `127.${second}.${third + i}`);
  for (const prefix of choices) {
    if (tryClaim(prefix, root)) return { prefix, release: () => rmSync(`${locks}/${prefix}.lock`, { force: true }) };
  }
  throw new Error(exact ? `lab net ${exact} is held by another lab (${locks}/${exact}.lock)` : `no free lab net from ${from} up (${locks})`);
}
