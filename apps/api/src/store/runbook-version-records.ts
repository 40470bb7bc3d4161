export interface VersionEntry {
  /** sha256 of the source text: two saves of the same text are one version. */
  versionHash: string;
  planHash?: string;
  savedAt: string;
  savedBy: string;
}

/** Every saved text of every runbook, with a per-runbook list of versions in the order they were saved. */
export interface RunbookVersionRecords {
  list(runbookId: string): Promise<VersionEntry[]>;
  /**
   * Appends `entry` and keeps `source` under its version hash, unless the runbook's latest
   * version has that hash already: then nothing is stored and the latest entry is returned.
   * Serialised per runbook, so that two saves of one text make one version.
   */
  appendUnlessLatest(runbookId: string, entry: VersionEntry, source: string): Promise<VersionEntry>;
  /** The text kept under a version hash; undefined for a hash never saved for this runbook. */
  source(runbookId: string, versionHash: string): Promise<string | undefined>;
  /** Every runbook id with saved versions, archived runbooks' included, in byte order (for backups). */
  runbookIds(): Promise<string[]>;
}
