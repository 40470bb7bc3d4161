import type { AuditRecord, RunView } from '@runwright/runbook';
import type { LabHost } from '../../lab/lab-host.js';
import type { ApiServer } from '../../support/api-stack.js';

/**
 * Reads the run through the API every 250 ms until `until` holds (or the run closes without it),
 * for up to `minutes`; runs on the lab take real ssh handshakes and soaks, so the wait is generous
 * and never a measure of speed.
 */
export async function awaitRun(api: ApiServer, runId: string, until: (run: RunView) => boolean, what: string, minutes = 5): Promise<RunView> {
  let last: RunView | undefined;
  for (const deadline = Date.now() + minutes * 60_000; Date.now() < deadline; ) {
    const { status, body } = await api.call('GET', `/api/runs/${encodeURIComponent(runId)}`);
    if (status === 200 && body.state) {
      last = body as RunView;
      if (until(last)) return last;
      if (last.temporalStatus !== 'RUNNING') break;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`run ${runId}: ${what} never happened; last state: ${JSON.stringify(last?.state, null, 1)?.slice(0, 6000)}`);
}

export const finished = (run: RunView) => run.temporalStatus !== 'RUNNING';

/** The audit log's records of an action (newest first), read as the admin. */
export async function auditRecords(api: ApiServer, action: string): Promise<AuditRecord[]> {
  return (await api.call('GET', `/api/audit?action=${encodeURIComponent(action)}&limit=1000`)).body.records;
}

/** What shop-api on `url` says its version is, or `down`/`<status>`. */
export async function servedVersion(url: string): Promise<string> {
  try {
    const answer = await fetch(`${url}/version`, { signal: AbortSignal.timeout(2_000) });
    if (!answer.ok) return String(answer.status);
    return ((await answer.json()) as { version: string }).version;
  } catch {
    return 'down';
  }
}

/** The global pid of shop-api on a host (the node process running `current/server.mjs`), if it runs. */
export function appPid(host: LabHost): number | undefined {
  return host.processes().find((p) => p.command.includes('server.mjs'))?.pid;
}

/** Shop traffic, as customers would send it through the front: counts of answers by status and version. */
export interface Traffic {
  counts: Map<string, number>;
  stop(): Promise<Map<string, number>>;
}

export function driveTraffic(url: string, everyMs = 25): Traffic {
  const counts = new Map<string, number>();
  const inFlight = new Set<Promise<void>>();
  const one = async () => {
    let key = 'down';
    try {
      const answer = await fetch(`${url}/shop`, { signal: AbortSignal.timeout(5_000) });
      const body = (await answer.json().catch(() => ({}))) as { version?: string };
      key = `${answer.status} ${body.version ?? '?'}`;
    } catch {
      // Counted as down.
    }
    counts.set(key, (counts.get(key) ?? 0) + 1);
  };
  const timer = setInterval(() => {
    const request = one().finally(() => inFlight.delete(request));
    inFlight.add(request);
  }, everyMs);
  return {
    counts,
    async stop() {
      clearInterval(timer);
      await Promise.all(inFlight);
      return counts;
    },
  };
}

/** Each host's answer to /version, read every 100 ms: when each host changed to what. */
export function watchVersions(hosts: LabHost[]) {
  const changes: { host: string; version: string; at: number }[] = [];
  const current = new Map<string, string>();
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      await Promise.all(
        hosts.map(async (host) => {
          const version = await servedVersion(host.appUrl);
          if (current.get(host.name) === version) return;
          current.set(host.name, version);
          changes.push({ host: host.name, version, at: Date.now() });
        }),
      );
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    changes,
    /** When `host` first answered `version` at or after `since` (ms), if it did. */
    servedAfter: (host: LabHost, version: string, since: number) => changes.find((c) => c.host === host.name && c.version === version && c.at >= since)?.at,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
