import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { toDraft, type Draft } from '../document/draft';
import { readYaml } from '../document/yaml-text';

/** One saved version of a runbook, read as the editor reads files (as written, not with defaults filled in). */
export function useVersion(runbookId: string, versionHash: string | undefined): { draft?: Draft; error?: string } {
  const [result, setResult] = useState<{ draft?: Draft; error?: string }>({});
  useEffect(() => {
    setResult({});
    if (!versionHash) return;
    let cancelled = false;
    api.getRunbookVersion(runbookId, versionHash).then(
      (version) => {
        if (cancelled) return;
        const read = readYaml(version.source);
        if (read.ok) setResult({ draft: read.draft });
        else if (version.runbook) setResult({ draft: toDraft(version.runbook) });
        else setResult({ error: read.message });
      },
      (e: Error) => !cancelled && setResult({ error: e.message }),
    );
    return () => {
      cancelled = true;
    };
  }, [runbookId, versionHash]);
  return result;
}
