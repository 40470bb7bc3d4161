import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArchivedRunbook, RunbookDocuments, RunbookText } from '../runbook-documents.js';
import { archive, createAtomically, replaceAtomically } from './runbook-files.js';

const runbookFile = /^([a-z0-9][a-z0-9-]*)\.ya?ml$/;
const idPattern = /^[a-z0-9][a-z0-9-]*$/;
/** `<id>.<stamp>.yaml` under `.archive/`: ids hold no dot, so the first one ends the id. */
const archivedFile = /^([a-z0-9][a-z0-9-]*)\.[^/\\]+\.ya?ml$/;

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

  async listArchived(): Promise<ArchivedRunbook[]> {
    let names: string[];
    try {
      names = (await readdir(join(this.location, '.archive'))).filter((name) => archivedFile.test(name)).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return Promise.all(
      names.map(async (name) => ({ id: archivedFile.exec(name)![1]!, archivedAs: `.archive/${name}`, source: await readFile(join(this.location, '.archive', name), 'utf8') })),
    );
  }

  async keepArchived(archived: ArchivedRunbook): Promise<void> {
    const name = archived.archivedAs.replace(/^\.archive\//, '');
    if (archivedFile.exec(name)?.[1] !== archived.id) throw new Error(`"${archived.archivedAs}" cannot name an archived runbook "${archived.id}"`);
    await mkdir(join(this.location, '.archive'), { recursive: true });
    await writeFile(join(this.location, '.archive', name), archived.source, { flag: 'wx' });
  }

  private async read(file: string): Promise<RunbookText> {
    const source = await readFile(join(this.location, file), 'utf8');
    return { id: runbookFile.exec(file)![1]!, file, source };
  }
}
