import { useEffect, useMemo, useState } from 'react';
import { api } from '../api/client';
import { RunbookCanvas } from '../canvas/RunbookCanvas';
import { diffDrafts } from '../document/version-diff';
import { shortHash } from '../short-hash';
import { useVersion } from './use-version';

type Version = Awaited<ReturnType<typeof api.listRunbookVersions>>['versions'][number];
const short = (hash: string | undefined) => (hash ? shortHash(hash) : '—');

/**
 * A runbook's saved versions, newest first. Choose two: the canvas shows what the newer one
 * added, removed, changed or only moved, and below it the text diff of the files.
 */
export function HistoryPage({ runbookId }: { runbookId: string }) {
  const [versions, setVersions] = useState<Version[]>();
  const [error, setError] = useState<string>();
  const [from, setFrom] = useState<string>();
  const [to, setTo] = useState<string>();
  useEffect(() => {
    api.listRunbookVersions(runbookId).then(
      (r) => {
        setVersions(r.versions);
        // Start with the latest change: the newest version against the one before it.
        const [newest, previous] = [r.versions.at(-1), r.versions.at(-2)];
        setTo(newest?.versionHash);
        setFrom(previous?.versionHash);
      },
      (e: Error) => setError(e.message),
    );
  }, [runbookId]);
  const older = useVersion(runbookId, from);
  const newer = useVersion(runbookId, to);
  const diff = useMemo(() => (older.draft && newer.draft ? diffDrafts(older.draft, newer.draft) : undefined), [older.draft, newer.draft]);
  const [text, setText] = useState<string>();
  useEffect(() => {
    setText(undefined);
    if (!from || !to || from === to) return;
    let cancelled = false;
    api.diffRunbookVersions(runbookId, from, to).then(
      (r) => !cancelled && setText(r.diff),
      (e: Error) => !cancelled && setText(`Could not diff: ${e.message}`),
    );
    return () => {
      cancelled = true;
    };
  }, [runbookId, from, to]);

  if (error) return <p className="error">{error}</p>;
  if (!versions) return <p>Loading history…</p>;
  return (
    <section className="history-page">
      <h1>
        History of <a href={`#/runbooks/${encodeURIComponent(runbookId)}`}>{runbookId}</a>
      </h1>
      <table className="runs versions">
        <thead>
          <tr>
            <th title="compare from">from</th>
            <th title="compare to">to</th>
            <th>Version</th>
            <th>Plan</th>
            <th>Saved</th>
            <th>By</th>
          </tr>
        </thead>
        <tbody>
          {[...versions].reverse().map((v) => (
            <tr key={v.versionHash} data-version={v.versionHash} className={v.versionHash === from || v.versionHash === to ? 'chosen' : undefined}>
              <td>
                <input type="radio" name="from" aria-label={`compare from ${short(v.versionHash)}`} checked={from === v.versionHash} onChange={() => setFrom(v.versionHash)} />
              </td>
              <td>
                <input type="radio" name="to" aria-label={`compare to ${short(v.versionHash)}`} checked={to === v.versionHash} onChange={() => setTo(v.versionHash)} />
              </td>
              <td>
                <code title={v.versionHash}>{short(v.versionHash)}</code>
              </td>
              <td>
                <code title={v.planHash}>{short(v.planHash)}</code>
              </td>
              <td>{new Date(v.savedAt).toLocaleString()}</td>
              <td>{v.savedBy === 'disk' ? 'edited on disk' : v.savedBy}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {versions.length < 2 && <p>Only one version so far: save a change to compare.</p>}
      {(older.error || newer.error) && <p className="error">{older.error ?? newer.error}</p>}
      {diff && from !== to && (
        <>
          <p className="diff-summary" data-counts={JSON.stringify(diff.counts)}>
            <span className="diff-added">{diff.counts.added} added</span> · <span className="diff-removed">{diff.counts.removed} removed</span> ·{' '}
            <span className="diff-changed">{diff.counts.changed} changed</span> · <span className="diff-moved">{diff.counts.moved} moved</span>
          </p>
          <div className="history-canvas">
            <RunbookCanvas runbook={diff.merged} diff={diff} />
          </div>
        </>
      )}
      {text !== undefined && (
        <pre className="text-diff" aria-label="Text diff">
          {text.split('\n').map((line, index) => (
            <span key={index} className={line.startsWith('+') && !line.startsWith('+++') ? 'line-added' : line.startsWith('-') && !line.startsWith('---') ? 'line-removed' : line.startsWith('@@') ? 'line-hunk' : undefined}>
              {line}
            </span>
          ))}
        </pre>
      )}
    </section>
  );
}
