/** A runbook's text as stored, under the name it has as a file of `runbooks/` (`<id>.yaml`, or `.yml`). */
export interface RunbookText {
  id: string;
  file: string;
  source: string;
}

/** An archived runbook: out of the list, kept under a name that says when it was archived. */
export interface ArchivedRunbook {
  id: string;
  /** `.archive/<id>.<stamp>.yaml`, the same in every backend. */
  archivedAs: string;
  source: string;
}

/**
 * The runbooks' texts. A backend stores text only; parsing, validating and summarising them
 * (`runbooks/runbook-store.ts`) is the same for every backend. Reads see the latest write, so a
 * text changed by any writer is what the next call sees.
 */
export interface RunbookDocuments {
  /** Where the runbooks live, for messages and logs (a folder, a database). */
  readonly location: string;
  /** Every runbook, ordered by file name. */
  list(): Promise<RunbookText[]>;
  get(id: string): Promise<RunbookText | undefined>;
  /**
   * Stores a new runbook and returns its file name; undefined, storing nothing, when a runbook
   * with this id exists already. Atomic: of two creators of one id, exactly one wins.
   */
  create(id: string, source: string): Promise<string | undefined>;
  /** Replaces a runbook's text at once (no reader sees half of it); its file name, or undefined when no runbook has this id. */
  replace(id: string, source: string): Promise<string | undefined>;
  /**
   * Takes a runbook out of the list without deleting it, kept under a name that says when
   * (`stamp`), which is returned; undefined when no runbook has this id.
   */
  archive(id: string, stamp: string): Promise<string | undefined>;
  /** Every archived runbook, ordered by the name it is kept under (for backups). */
  listArchived(): Promise<ArchivedRunbook[]>;
  /** Keeps an archived runbook under its name (a restore); refused when that name is taken. */
  keepArchived(archived: ArchivedRunbook): Promise<void>;
}
