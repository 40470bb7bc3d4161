// Who listens on a TCP port: `ss -ltnpH` first, then /proc (the sockets in /proc/net/tcp*, and
// the process holding that socket). Either can fail to say — ss missing, another user's
// process — and then the answer is only "in use".
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { commandLine, readProcess } from './process-table.js';

export interface Listener {
  pid: number;
  /** Its command line, or the short name ss gives when /proc cannot be read. */
  command: string;
}

export function listenerFromSs(port: number): Listener | undefined {
  let text: string;
  try {
    text = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8', timeout: 5_000, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
  const found = /users:\(\("((?:[^"\\]|\\.)*)",pid=(\d+)/.exec(text);
  if (!found) return undefined;
  const pid = Number(found[2]);
  return { pid, command: commandLine(pid) ?? found[1]! };
}

/** The inodes of the listening sockets on `port`, from /proc/net/tcp and tcp6. */
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address is HEXIP:HEXPORT; state 0A is LISTEN; field 10 is the socket inode.
      if (fields.length < 10 || fields[3] !== '0A') continue;
      if (parseInt(fields[1]!.split(':')[1]!, 16) === port && fields[9] !== '0') inodes.add(fields[9]!);
    }
  }
  return inodes;
}

export function listenerFromProc(port: number): Listener | undefined {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return undefined;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // another user's process, or gone
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode && inodes.has(inode)) return { pid: Number(pid), command: commandLine(Number(pid)) ?? `pid ${pid}` };
    }
  }
  return undefined;
}

export function listenerOn(port: number): Listener | undefined {
  return listenerFromSs(port) ?? listenerFromProc(port);
}

/** Whether `pid` is `ancestor` or runs under it (a wrapper script may start the real server). */
export function descendsFrom(pid: number, ancestor: number): boolean {
  let current: number | undefined = pid;
  for (let depth = 0; current && current > 1 && depth < 16; depth++) {
    if (current === ancestor) return true;
    current = readProcess(current)?.ppid;
  }
  return false;
}

export function describeListener(listener: Listener | undefined): string {
  if (!listener) return 'is in use (the system does not say by which process; `sudo ss -ltnp` may)';
  const command = listener.command.length > 160 ? `${listener.command.slice(0, 157)}…` : listener.command;
  return `is taken by pid ${listener.pid}: ${command}`;
}
