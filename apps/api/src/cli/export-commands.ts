import { existsSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { printableHtml, printableMarkdown, printableRunbook, routes } from '@runwright/runbook';
import { apiClient, CliApiError } from './api-client.js';
import { connection, withConnection, type ConnectionOptions } from './connection.js';
import { validateFile } from './validate.js';

const runbookFile = /^[a-z0-9][a-z0-9-]*\.ya?ml$/;
type Format = 'markdown' | 'html';

/** The printable document of a runbook's source, or its problems as an error (a broken plan is not printed). */
function printable(source: string, format: Format, name: string): string {
  const result = printableRunbook(source);
  if (!result.ok) throw new Error(`${name} has problems, so it is not printed:${result.problems.map((p) => `\n  ${p.path || '(document)'}: ${p.message}`).join('')}`);
  return format === 'html' ? printableHtml(result.printable) : printableMarkdown(result.printable);
}

/** Every runbook's text as the API stores it (its problems included: a text is exported as it is). */
async function storedRunbooks(options: ConnectionOptions): Promise<{ id: string; file: string; source: string }[]> {
  const { url, token } = connection(options);
  const call = apiClient(url, token);
  const { runbooks } = await call(routes.listRunbooks);
  const texts = [];
  for (const summary of runbooks) {
    const { source } = await call(routes.getRunbook, { params: { runbookId: summary.id } });
    // The name comes from the server: only a plain runbook file name may become a path here.
    texts.push({ id: summary.id, file: runbookFile.test(summary.file) ? summary.file : `${summary.id}.yaml`, source });
  }
  return texts;
}

/** `runwright export <folder>`: every runbook as the YAML file it is in `runbooks/`, byte for byte, so a Git diff shows what changed. */
async function exportFolder(folder: string, options: ConnectionOptions & { withPrintable?: boolean }): Promise<number> {
  const texts = await storedRunbooks(options);
  await mkdir(folder, { recursive: true });
  for (const text of texts) await writeFile(join(folder, text.file), text.source);
  let printed = 0;
  if (options.withPrintable) {
    await mkdir(join(folder, 'printable'), { recursive: true });
    for (const text of texts) {
      if (!printableRunbook(text.source).ok) {
        process.stderr.write(`${text.file} has problems: no printable document for it\n`);
        continue;
      }
      await writeFile(join(folder, 'printable', `${text.id}.md`), printable(text.source, 'markdown', text.file));
      await writeFile(join(folder, 'printable', `${text.id}.html`), printable(text.source, 'html', text.file));
      printed++;
    }
  }
  const exported = new Set(texts.map((t) => t.file));
  const others = (await readdir(folder)).filter((name) => runbookFile.test(name) && !exported.has(name));
  for (const name of others) process.stderr.write(`${name} is in ${folder} but not in Runwright (archived, or never imported): left as it is\n`);
  process.stderr.write(`exported ${texts.length} runbook(s) to ${folder}${options.withPrintable ? `, and ${printed} printable document(s) (Markdown and HTML) to ${join(folder, 'printable')}` : ''}\n`);
  return 0;
}

/** `runwright export --printable <runbook>`: one runbook, by id through the API, or from a file with no API at all (Runwright down). */
async function exportPrintable(target: string, options: ConnectionOptions & { format: string; out?: string }): Promise<number> {
  if (options.format !== 'markdown' && options.format !== 'html') throw new Error(`--format is markdown or html, not "${options.format}"`);
  const fromFile = /\.(ya?ml|json)$/.test(target) || (existsSync(target) && statSync(target).isFile());
  let source: string;
  if (fromFile) {
    source = await readFile(target, 'utf8').catch((error: Error) => Promise.reject(new Error(`cannot read ${target}: ${error.message}`)));
  } else {
    const { url, token } = connection(options);
    source = (await apiClient(url, token)(routes.getRunbook, { params: { runbookId: target } })).source;
  }
  const document = printable(source, options.format, fromFile ? target : `runbook "${target}"`);
  if (options.out) await writeFile(options.out, document);
  else process.stdout.write(document);
  return 0;
}

/** `runwright import <folder>`: the folder's runbook files into Runwright, through the API, each a new version; nothing at all if any file has problems. */
async function importFolder(folder: string, options: ConnectionOptions & { dryRun?: boolean }): Promise<number> {
  const names = (await readdir(folder).catch((error: Error) => Promise.reject(new Error(`cannot read ${folder}: ${error.message}`)))).filter((name) => runbookFile.test(name)).sort();
  if (names.length === 0) throw new Error(`${folder} holds no runbook files (<id>.yaml)`);
  const verdicts = await Promise.all(names.map((name) => validateFile(join(folder, name))));
  const bad = verdicts.filter((v) => v.problems.length > 0);
  if (bad.length > 0) {
    for (const verdict of bad) for (const problem of verdict.problems) process.stdout.write(`${verdict.file}: ${problem.path || '(document)'}: ${problem.message}\n`);
    process.stderr.write(`${bad.length} of ${names.length} file(s) have problems: nothing was imported\n`);
    return 1;
  }
  const { url, token } = connection(options);
  const call = apiClient(url, token);
  const done = { created: 0, updated: 0, unchanged: 0 };
  for (const name of names) {
    const source = await readFile(join(folder, name), 'utf8');
    const id = basename(name).replace(/\.ya?ml$/, '');
    const current = await call(routes.getRunbook, { params: { runbookId: id } }).catch((error: unknown) => {
      if (error instanceof CliApiError && error.status === 404) return undefined;
      throw error;
    });
    const outcome = current === undefined ? 'created' : current.source === source ? 'unchanged' : 'updated';
    if (!options.dryRun) {
      if (outcome === 'created') await call(routes.createRunbook, { body: { source } });
      // The API keeps the text it replaces as a version too: importing never loses history.
      if (outcome === 'updated') await call(routes.updateRunbook, { params: { runbookId: id }, body: { source } });
    }
    done[outcome]++;
    process.stdout.write(`${options.dryRun ? 'would be ' : ''}${outcome}: ${name}\n`);
  }
  process.stderr.write(`${options.dryRun ? 'dry run, nothing changed: ' : ''}${done.created} created, ${done.updated} updated, ${done.unchanged} unchanged; runbooks not in ${folder} are left as they are\n`);
  return 0;
}

export function registerExportCommands(program: Command): void {
  withConnection(program.command('export'))
    .description('write every runbook into a folder as the YAML files of runbooks/ (for Git); or, with --printable, one runbook as a document to follow by hand')
    .argument('<target>', 'the folder to write; with --printable, a runbook id (read through the API) or a runbook file (read here: works with Runwright down)')
    .option('--printable', 'print one runbook as a document a person can follow by hand (steps in order, checklists, rollback)')
    .option('--format <format>', 'with --printable: markdown or html', 'markdown')
    .option('-o, --out <file>', 'with --printable: write the document to this file instead of standard output')
    .option('--with-printable', 'with a folder: also write printable/<id>.md and printable/<id>.html for every runbook')
    .action(async (target: string, options: ConnectionOptions & { printable?: boolean; format: string; out?: string; withPrintable?: boolean }) => {
      process.exitCode = options.printable ? await exportPrintable(target, options) : await exportFolder(target, options);
    });
  withConnection(program.command('import'))
    .description("import a folder's runbook files (<id>.yaml) through the API: new ones created, changed ones updated as a new version; refused whole if any file has problems")
    .argument('<folder>', 'a folder of runbook files, such as runbooks/')
    .option('--dry-run', 'say what would be created, updated or left unchanged, and change nothing')
    .action(async (folder: string, options: ConnectionOptions & { dryRun?: boolean }) => {
      process.exitCode = await importFolder(folder, options);
    });
}
