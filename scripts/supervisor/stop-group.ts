// Stopping one supervised child, shared by the launcher and its reaper: the whole process group
// gets SIGTERM, then SIGKILL when the grace period ends, and whatever the group had started in
// other groups (a step's command) is killed with it. Nothing is left to chance or to a pid alone.
import { descendantsOutside, groupAlive, stillRunning, signalGroup, type ProcessInfo } from './process-table.js';

export interface GroupTarget {
  name: string;
  /** The child leads its own group (spawned detached), so its pid is the group id. */
  pgid: number;
  /** How long it may take to stop on SIGTERM before it is killed. */
  graceMs: number;
}

export interface StopResult {
  ms: number;
  /** Whether SIGKILL was needed. */
  killed: boolean;
}

const pollMs = 50;
/** SIGKILL cannot be refused; this only bounds a process stuck in the kernel. */
const killWaitMs = 5_000;

async function waitGone(pgid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (groupAlive(pgid)) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  return true;
}

function killLeftovers(processes: ProcessInfo[]): void {
  for (const p of processes) {
    if (!stillRunning(p)) continue;
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // Exited meanwhile.
    }
  }
}

export async function stopGroup(target: GroupTarget): Promise<StopResult> {
  const started = Date.now();
  if (!groupAlive(target.pgid)) return { ms: 0, killed: false };
  // Taken before the signal: once the child is gone its orphans belong to init and are lost to us.
  const beyond = descendantsOutside(target.pgid);
  signalGroup(target.pgid, 'SIGTERM');
  // A stopped process (Ctrl-Z, SIGSTOP) would hold SIGTERM pending for ever.
  signalGroup(target.pgid, 'SIGCONT');
  let killed = false;
  if (!(await waitGone(target.pgid, target.graceMs))) {
    killed = true;
    beyond.push(...descendantsOutside(target.pgid));
    signalGroup(target.pgid, 'SIGKILL');
    await waitGone(target.pgid, killWaitMs);
  }
  killLeftovers(beyond);
  return { ms: Date.now() - started, killed };
}

/** The impatient path (a second Ctrl-C): everything gets SIGKILL at once. */
export async function killGroupsNow(targets: GroupTarget[]): Promise<void> {
  const beyond = targets.flatMap((t) => descendantsOutside(t.pgid));
  for (const t of targets) signalGroup(t.pgid, 'SIGKILL');
  killLeftovers(beyond);
  await Promise.all(targets.map((t) => waitGone(t.pgid, killWaitMs)));
}
