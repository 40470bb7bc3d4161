import { useEffect, useState } from 'react';
import { api, ApiCallError } from '../api/client';
import { emptyDraft, type Draft } from '../document/draft';
import { readYaml } from '../document/yaml-text';
import { EditorPage } from '../editor/EditorPage';

/** Loads a runbook's file (its YAML source, as written) into the editor; `new` starts an empty one. */
export function RunbookPage({ runbookId }: { runbookId?: string }) {
  const [loaded, setLoaded] = useState<{ draft: Draft; source: string; planHash?: string }>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    setLoaded(undefined);
    if (runbookId === undefined) {
      setLoaded({ draft: emptyDraft(), source: '' });
      return;
    }
    api.getRunbook(runbookId).then(
      (r) => {
        const read = readYaml(r.source);
        if (read.ok) setLoaded({ draft: read.draft, source: r.source, planHash: r.planHash });
        else setError(read.message);
      },
      (e: ApiCallError) => setError(e.message),
    );
  }, [runbookId]);
  if (error) return <p className="error">{error}</p>;
  if (!loaded) return <p>Loading…</p>;
  return (
    <EditorPage
      key={runbookId ?? 'new'}
      initial={loaded.draft}
      source={loaded.source}
      {...(loaded.planHash && { planHash: loaded.planHash })}
      isNew={runbookId === undefined}
    />
  );
}
