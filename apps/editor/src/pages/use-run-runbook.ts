import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { toDraft, type Draft } from '../document/draft';
import { readYaml } from '../document/yaml-text';

export interface RunRunbook {
  draft: Draft;
  /** Where the drawing comes from: the run's own start input, or (when that cannot be read) the file as it is now. */
  from: 'run' | 'file';
  /** Set when the runbook's file no longer has the plan the run started with. */
  changedSince?: { runPlanHash: string; filePlanHash: string };
}

/**
 * The runbook a run executes, for drawing it: the version the run started with (a run is pinned
 * to it; editing the file never changes a run in flight). Says when the file has moved on.
 */
export function useRunRunbook(runId: string, runbookId: string | undefined, runPlanHash: string | undefined): RunRunbook | undefined {
  const [result, setResult] = useState<RunRunbook>();
  useEffect(() => {
    if (!runbookId || !runPlanHash) return;
    let cancelled = false;
    const pinned = api.getRunRunbook(runId).then(
      (body) => toDraft(body.runbook),
      () => undefined,
    );
    // The current file: to draw when the run's own version cannot be read, and to compare with.
    const file = api.getRunbook(runbookId).then(
      (r) => ({ planHash: r.planHash, read: readYaml(r.source) }),
      () => undefined,
    );
    void Promise.all([pinned, file]).then(([runDraft, current]) => {
      if (cancelled) return;
      const changed = current && current.planHash !== runPlanHash ? { changedSince: { runPlanHash, filePlanHash: current.planHash } } : {};
      if (runDraft) setResult({ draft: runDraft, from: 'run', ...changed });
      else if (current?.read.ok) setResult({ draft: current.read.draft, from: 'file', ...changed });
    });
    return () => {
      cancelled = true;
    };
  }, [runId, runbookId, runPlanHash]);
  return result;
}
