/** Quotes one word for a POSIX shell: the remote side of SSH always has one, so values must stay data. */
export function posixQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** `env 'K=v' … 'argv0' 'argv1' …` — a command line whose every value is quoted. */
export function quotedCommandLine(argv: readonly string[], env: Record<string, string>): string {
  const assignments = Object.entries(env).map(([name, value]) => posixQuote(`${name}=${value}`));
  return ['env', ...assignments, ...argv.map(posixQuote)].join(' ');
}
