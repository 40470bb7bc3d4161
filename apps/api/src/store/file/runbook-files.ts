import { randomBytes } from 'node:crypto';
import { link, mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Temporary files start with a dot, so the store (which lists `<id>.yaml`) never reads one half-written. */
function temporaryPath(folder: string): string {
  return join(folder, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
}

/**
 * Writes a new file atomically and only if none exists: the content goes to a temporary file,
 * then a hard link gives it its name (failing with EEXIST if taken), so readers never see a
 * partial file and two creators cannot both win.
 */
export async function createAtomically(folder: string, name: string, content: string): Promise<boolean> {
  const temporary = temporaryPath(folder);
  await writeFile(temporary, content, { flag: 'wx' });
  try {
    await link(temporary, join(folder, name));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(temporary);
  }
}

/** Replaces a file atomically: write beside it, then rename over it. */
export async function replaceAtomically(folder: string, name: string, content: string): Promise<void> {
  const temporary = temporaryPath(folder);
  await writeFile(temporary, content, { flag: 'wx' });
  await rename(temporary, join(folder, name));
}

/** Moves a file into `.archive/` under a name that says when; nothing is deleted. */
export async function archive(folder: string, name: string, stamp: string): Promise<string> {
  const archiveFolder = join(folder, '.archive');
  await mkdir(archiveFolder, { recursive: true });
  const archived = join('.archive', name.replace(/(\.ya?ml)$/, `.${stamp}$1`));
  await rename(join(folder, name), join(folder, archived));
  return archived;
}
