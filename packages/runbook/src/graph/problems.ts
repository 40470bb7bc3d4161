/** One thing wrong with a runbook, located by a dotted path into the document (`nodes.2.config.url`). */
export interface Problem {
  path: string;
  message: string;
}

export function pathToString(path: readonly PropertyKey[]): string {
  return path.map((part) => String(part)).join('.');
}
