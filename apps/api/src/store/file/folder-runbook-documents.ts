import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunbookDocuments, RunbookText } from '../runbook-documents.js';
import { archive, createAtomically, replaceAtomically } from './runbook-files.js';

const runbookFile = /^([a-z0-9][a-z0-9-]*)\.ya?ml$/;
const idPattern = /^[a-z0-9][a-z0-9-]*$/;

/**
 * The runbooks folder is the store: one YAML file per runbook, named by its id, read on every
 * call so that a file edited on disk (or pulled from git) is what the next call sees. Writes are
 * atomic; an archived runbook moves to `.archive/`, which the list does not read.
 */
export class FolderRunbookDocuments implements RunbookDocuments {
  constructor(readonly location: string) {}

  async list(): Promise<RunbookText[]> {
    const names = (await readdir(this.location)).filter((name) => runbookFile.test(name)).sort();
    return Promise.all(names.map((name) => this.read(name)));
  }

  async get(id: string): Promise<RunbookText | undefined> {
    // An id that could not be a file name of the folder (`..`, a slash) names no runbook.
    if (!idPattern.test(id)) return undefined;
    for (const extension of ['yaml', 'yml']) {
      try {
        return await this.read(`${id}.${extension}`);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    return undefined;
  }

  async create(id: string, source: string): Promise<string | undefined> {
    if (!idPattern.test(id)) throw new Error(`"${id}" cannot name a runbook file`);
    // `<id>.yml` holds the id as well as `<id>.yaml`, which the hard link below guards.
    if (await this.get(id)) return undefined;
    const file = `${id}.yaml`;
    return (await createAtomically(this.location, file, source)) ? file : undefined;
  }

  async replace(id: string, source: string): Promise<string | undefined> {
    const current = await this.get(id);
    if (!current) return undefined;
    await replaceAtomically(this.location, current.file, source);
    return current.file;
  }

  async archive(id: string, stamp: string): Promise<string | undefined> {
    const current = await this.get(id);
    return current && archive(this.location, current.file, stamp);
  }

  private async read(file: string): Promise<RunbookText> {
    const source = await readFile(join(this.location, file), 'utf8');
    return { id: runbookFile.exec(file)![1]!, file, source };
  }
}
