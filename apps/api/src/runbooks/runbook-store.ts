import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { apiErrors, isRunbookId, loadRunbook, type LoadResult, type Runbook, type RunbookSummary } from '@runwright/runbook';
import { ApiError } from '../http/api-error.js';

const runbookFile = /^([a-z0-9][a-z0-9-]*)\.ya?ml$/;

export interface StoredRunbook {
  id: string;
  file: string;
  source: string;
  result: LoadResult;
}

/**
 * The runbooks folder is the store: one YAML file per runbook, named by its id, read on
 * every request so that a file edited on disk is what the next call sees.
 */
export class RunbookStore {
  constructor(readonly folder: string) {}

  async list(): Promise<StoredRunbook[]> {
    const names = (await readdir(this.folder)).filter((name) => runbookFile.test(name)).sort();
    return Promise.all(names.map((name) => this.read(name)));
  }

  async get(id: string): Promise<StoredRunbook> {
    // Ids reach here from requests, run search attributes and other runbooks: whatever says
    // otherwise, the store opens nothing but `<id>.yaml` / `<id>.yml` in its own folder.
    if (!isRunbookId(id)) throw new ApiError(422, apiErrors.invalidRunbook, `"${id}" is not a runbook id (lower-case letters, digits and -)`);
    for (const extension of ['yaml', 'yml']) {
      try {
        return await this.read(`${id}.${extension}`);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    throw ApiError.notFound(`no runbook "${id}" in ${this.folder}`);
  }

  /** A runbook that validates; otherwise a 422 listing every problem. */
  async getValid(id: string): Promise<{ runbook: Runbook; planHash: string; source: string }> {
    const stored = await this.get(id);
    if (!stored.result.ok) {
      throw new ApiError(422, 'invalid_runbook', `runbook "${id}" (${stored.file}) has problems`, stored.result.problems);
    }
    return { runbook: stored.result.runbook, planHash: stored.result.planHash, source: stored.source };
  }

  private async read(file: string): Promise<StoredRunbook> {
    const source = await readFile(join(this.folder, file), 'utf8');
    const id = runbookFile.exec(file)![1]!;
    let result = loadRunbook(source);
    if (result.ok && result.runbook.id !== id) {
      result = { ok: false, problems: [{ path: 'id', message: `id "${result.runbook.id}" does not match the file name ${file}` }] };
    }
    return { id, file, source, result };
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
