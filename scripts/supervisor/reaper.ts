// The launcher's reaper: a small process that outlives the launcher only to stop what it started.
// The launcher tells it, over this process's stdin, each child group it starts and each that
// ends (`watch <pgid> <graceMs> <name>`, `forget <pgid>`). When stdin closes — the launcher
// exited, or was killed with SIGKILL and could do nothing itself — every group still watched is
// stopped the way the launcher would: newest first, SIGTERM, then SIGKILL after its grace.
//
// Why a process of its own: the Temporal CLI is a Go binary we cannot teach to watch a pipe, and
// Linux's parent-death signal (prctl PR_SET_PDEATHSIG) cannot be set from Node; a reaper works
// the same for every child and on any POSIX system, and gives each child its graceful stop.
import { appendFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { stopGroup, type GroupTarget } from './stop-group.js';

const logFile = process.argv[2];
const log = (line: string) => {
  if (!logFile) return;
  try {
    appendFileSync(logFile, `${new Date().toISOString()} reaper ${process.pid}: ${line}\n`);
  } catch {
    // A log we cannot write must not stop the reaping.
  }
};

const watched = new Map<number, GroupTarget>();

// A terminal's Ctrl-C or hang-up is the launcher's to handle; the reaper acts when its stdin
// closes, which follows, so it must not die of the same signal first.
for (const signal of ['SIGINT', 'SIGHUP'] as const) process.on(signal, () => {});

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const [verb, pgid, graceMs, ...name] = line.trim().split(' ');
  if (verb === 'watch' && Number(pgid) > 0) watched.set(Number(pgid), { pgid: Number(pgid), graceMs: Number(graceMs) || 5_000, name: name.join(' ') || `group ${pgid}` });
  else if (verb === 'forget') watched.delete(Number(pgid));
});
lines.on('close', async () => {
  const left = [...watched.values()].reverse();
  if (left.length > 0) log(`the launcher is gone; stopping ${left.map((t) => `${t.name} (group ${t.pgid})`).join(', ')}`);
  for (const target of left) {
    const { ms, killed } = await stopGroup(target);
    log(`${target.name} stopped in ${ms} ms${killed ? ' (killed after its grace period)' : ''}`);
  }
  process.exit(0);
});
