import { readFileSync } from 'node:fs';

/** Whether a process still runs; a zombie waiting to be reaped counts as gone. */
export function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Polls (signals take a moment to land) until the process is gone or the tries run out. */
export async function processGone(pid: number, tries = 50): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    if (!processAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}
