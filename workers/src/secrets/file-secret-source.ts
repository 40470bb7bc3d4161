import { readFile } from 'node:fs/promises';
import type { SecretSource } from './secret-source.js';

/**
 * Secrets from a JSON file `{ "NAME": "value" }`. The file is read at each lookup, so a
 * rotated secret is used by the next attempt without restarting the worker.
 */
export function fileSecretSource(path: string): SecretSource {
  return {
    async lookup(name) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(await readFile(path, 'utf8'));
      } catch (error) {
        // Never echo the file's content: a JSON syntax error message can quote a value.
        throw new Error(`secrets file ${path} cannot be read as JSON (${(error as NodeJS.ErrnoException).code ?? 'syntax error'})`);
      }
      if (parsed === null || typeof parsed !== 'object') throw new Error(`secrets file ${path} must hold a JSON object`);
      const value = (parsed as Record<string, unknown>)[name];
      return typeof value === 'string' ? value : undefined;
    },
    describe: () => `secrets file ${path}`,
  };
}
