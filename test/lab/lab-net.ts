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
 * Claims a /24 of loopback for one lab, so two labs on a machine (two engineers, two test files)
 * never bind the same addresses: the given prefix, else RUNWRIGHT_LAB_NET (e.g. `127.0.10`) as
 * the only choice, else the first free one from 127.0.10 up.
 */
export function claimLabNet(root: string, wanted = process.env.RUNWRIGHT_LAB_NET): LabNet {
  mkdirSync(locks, { recursive: true });
  const choices = wanted ? [wanted] : Array.from({ length: 90 }, (_, i) => `127.0.${10 + i}`);
  for (const prefix of choices) {
    if (!/^127\.\d{1,3}\.\d{1,3}$/.test(prefix)) throw new Error(`RUNWRIGHT_LAB_NET must look like 127.0.10, not ${prefix}`);
    if (tryClaim(prefix, root)) return { prefix, release: () => rmSync(`${locks}/${prefix}.lock`, { force: true }) };
  }
  throw new Error(wanted ? `lab net ${wanted} is held by another lab (${locks}/${wanted}.lock)` : `no free lab net between 127.0.10 and 127.0.99 (${locks})`);
}
