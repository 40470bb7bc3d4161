import type { Command } from 'commander';

export interface Connection {
  url: string;
  token: string;
}

/** Collects a repeatable option's values in the order given. */
export const repeatable = (value: string, previous: string[]) => [...previous, value];

export function connection(options: ConnectionOptions): Connection {
  const token = options.token ?? process.env.RUNWRIGHT_TOKEN;
  if (!token) throw new Error('an API token is needed: --token or RUNWRIGHT_TOKEN');
  return { url: options.url || process.env.RUNWRIGHT_URL || 'http://127.0.0.1:8080', token };
}

/** The options every command that talks to the API takes. */
export function withConnection(command: Command): Command {
  return command
    .option('--url <url>', 'API base URL (default: RUNWRIGHT_URL or http://127.0.0.1:8080)')
    .option('--token <token>', 'API token (default: RUNWRIGHT_TOKEN)');
}

export interface ConnectionOptions {
  url?: string;
  token?: string;
}
