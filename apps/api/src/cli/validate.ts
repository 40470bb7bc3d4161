import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { loadRunbook, type Problem } from '@runwright/runbook';

export interface FileVerdict {
  file: string;
  planHash?: string;
  problems: Problem[];
}

/** The checks the API applies when it reads a runbook folder: the schema, the graph, and the file name. */
export async function validateFile(file: string): Promise<FileVerdict> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (error) {
    return { file, problems: [{ path: '', message: `cannot read: ${(error as Error).message}` }] };
  }
  const result = loadRunbook(source);
  if (!result.ok) return { file, problems: result.problems };
  const expected = basename(file).replace(/\.(ya?ml|json)$/, '');
  if (/\.ya?ml$/.test(file) && result.runbook.id !== expected) {
    return { file, problems: [{ path: 'id', message: `id "${result.runbook.id}" does not match the file name ${basename(file)}` }] };
  }
  return { file, planHash: result.planHash, problems: [] };
}

/** Prints `file: ok` or one `file: path: message` line per problem (the format editors and CI logs link). */
export async function validateCommand(files: string[], options: { json?: boolean }): Promise<number> {
  const verdicts = await Promise.all(files.map(validateFile));
  if (options.json) {
    process.stdout.write(`${JSON.stringify(verdicts, null, 2)}\n`);
  } else {
    for (const verdict of verdicts) {
      if (verdict.problems.length === 0) process.stdout.write(`${verdict.file}: ok (${verdict.planHash})\n`);
      for (const problem of verdict.problems) process.stdout.write(`${verdict.file}: ${problem.path || '(document)'}: ${problem.message}\n`);
    }
    const bad = verdicts.filter((v) => v.problems.length > 0).length;
    process.stderr.write(`${verdicts.length} file(s) checked, ${bad} with problems\n`);
  }
  return verdicts.some((v) => v.problems.length > 0) ? 1 : 0;
}
