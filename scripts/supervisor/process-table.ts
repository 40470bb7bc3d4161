// What the kernel says about processes, read from /proc. Everything here degrades to "don't
// know" (undefined) where /proc is missing, so callers fall back to plain signals.
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  pgid: number;
  /** R, S, D, Z, T… (Z: exited, waiting to be reaped; it runs nothing). */
  state: string;
  /** Clock ticks since boot when it started: a pid reused by a new process gets a new one. */
  startTime: string;
}

export function readProcess(pid: number): ProcessInfo | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses; the fields after its last ')' do not.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { pid, state: fields[0]!, ppid: Number(fields[1]), pgid: Number(fields[2]), startTime: fields[19]! };
}

/** Every process we may see; undefined without /proc. */
export function listProcesses(): ProcessInfo[] | undefined {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return undefined;
  }
  const processes: ProcessInfo[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const info = readProcess(Number(name));
    if (info) processes.push(info);
  }
  return processes;
}

/** The command line of a process, as `ps` would show it; undefined when it cannot be read. */
export function commandLine(pid: number): string | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').replace(/\0/g, ' ');
    return text || undefined;
  } catch {
    return undefined;
  }
}

/** Whether any process of the group still runs (zombies excluded). */
export function groupAlive(pgid: number): boolean {
  const processes = listProcesses();
  if (processes) return processes.some((p) => p.pgid === pgid && p.state !== 'Z');
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The processes descended from the group's members that live in other groups: a shell step's
 * command leads its own group under the worker, and must not outlive it. Empty without /proc.
 */
export function descendantsOutside(pgid: number): ProcessInfo[] {
  const processes = listProcesses() ?? [];
  const children = new Map<number, ProcessInfo[]>();
  for (const p of processes) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const found: ProcessInfo[] = [];
  const queue = processes.filter((p) => p.pgid === pgid);
  const seen = new Set(queue.map((p) => p.pid));
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!.pid) ?? []) {
      if (seen.has(child.pid)) continue;
      seen.add(child.pid);
      queue.push(child);
      if (child.pgid !== pgid) found.push(child);
    }
  }
  return found;
}

/** Whether this very process (same pid and start time) still runs. */
export function stillRunning(known: ProcessInfo): boolean {
  const now = readProcess(known.pid);
  return now !== undefined && now.startTime === known.startTime && now.state !== 'Z';
}

/** Sends a signal to a process group (negative pid), ignoring a group that is already gone. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Gone already.
  }
}
