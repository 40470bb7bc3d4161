import { apiErrors, isRunbookId, loadRunbook, type LoadResult, type Runbook, type RunbookSummary } from '@runwright/runbook';
import { ApiError } from '../http/api-error.js';
import type { RunbookDocuments, RunbookText } from '../store/runbook-documents.js';

export interface StoredRunbook extends RunbookText {
  result: LoadResult;
}

function load({ id, file, source }: RunbookText): StoredRunbook {
  let result = loadRunbook(source);
  if (result.ok && result.runbook.id !== id) {
    result = { ok: false, problems: [{ path: 'id', message: `id "${result.runbook.id}" does not match the file name ${file}` }] };
  }
  return { id, file, source, result };
}

/**
 * The runbooks as the routes see them: each text from the state store, loaded and checked on
 * every call, so that a runbook changed by anyone (a file edited on disk, another API replica)
 * is what the next call sees.
 */
export class RunbookStore {
  constructor(private readonly documents: RunbookDocuments) {}

  private missing(id: string): ApiError {
    return ApiError.notFound(`no runbook "${id}" in ${this.documents.location}`);
  }

  /** Where the runbooks live, for logs. */
  get location(): string {
    return this.documents.location;
  }

  async list(): Promise<StoredRunbook[]> {
    return (await this.documents.list()).map(load);
  }

  async get(id: string): Promise<StoredRunbook> {
    // Ids reach here from requests, run search attributes and other runbooks: whatever says
    // otherwise, no backend is asked for anything but a runbook id (never a path).
    if (!isRunbookId(id)) throw new ApiError(422, apiErrors.invalidRunbook, `"${id}" is not a runbook id (lower-case letters, digits and -)`);
    const text = await this.documents.get(id);
    if (!text) throw this.missing(id);
    return load(text);
  }

  /** A runbook that validates; otherwise a 422 listing every problem. */
  async getValid(id: string): Promise<{ runbook: Runbook; planHash: string; source: string }> {
    const stored = await this.get(id);
    if (!stored.result.ok) {
      throw new ApiError(422, 'invalid_runbook', `runbook "${id}" (${stored.file}) has problems`, stored.result.problems);
    }
    return { runbook: stored.result.runbook, planHash: stored.result.planHash, source: stored.source };
  }

  /** Stores a new runbook and returns its file name; undefined when one with its id exists. */
  create(id: string, source: string): Promise<string | undefined> {
    return this.documents.create(id, source);
  }

  /** Replaces a runbook's text; a 404 when it is gone. */
  async replace(id: string, source: string): Promise<string> {
    const file = await this.documents.replace(id, source);
    if (file === undefined) throw this.missing(id);
    return file;
  }

  /** Archives a runbook and returns the name it is kept under; a 404 when it is gone. */
  async archive(id: string, stamp: string): Promise<string> {
    const archivedAs = await this.documents.archive(id, stamp);
    if (archivedAs === undefined) throw this.missing(id);
    return archivedAs;
  }
}

export function summarise(stored: StoredRunbook): RunbookSummary {
  if (!stored.result.ok) {
    return { id: stored.id, file: stored.file, title: stored.id, description: '', tags: [], owners: [], problems: stored.result.problems };
  }
  const { runbook, planHash } = stored.result;
  return {
    id: runbook.id,
    file: stored.file,
    title: runbook.title,
    description: runbook.description,
    tags: runbook.tags,
    owners: runbook.owners,
    planHash,
    problems: [],
    triggers: {
      alerts: runbook.triggers.alerts.map((r) => r.name),
      webhooks: runbook.triggers.webhooks.map((w) => w.name),
      schedules: runbook.triggers.schedules.map((s) => s.name),
    },
    ...(runbook.objectives && { objectives: runbook.objectives }),
  };
}
