import { ApplicationFailure } from '@temporalio/common';
import { isSecretRef, stepErrors, type Resolved } from '@runwright/runbook';
import type { Redactor } from './redactor.js';
import type { SecretSource } from './secret-source.js';

/**
 * Replaces every `{ secret: NAME }` inside a step's config with its value from the worker's
 * source, and teaches the redactor each value used. Runs inside the activity only, so values
 * never enter workflow history.
 */
export async function resolveSecrets<T>(value: T, source: SecretSource, redactor: Redactor, path: string[] = []): Promise<Resolved<T>> {
  if (isSecretRef(value)) {
    const secret = await source.lookup(value.secret);
    if (secret === undefined) {
      throw ApplicationFailure.create({
        type: stepErrors.secretMissing,
        message: `${path.join('.') || 'config'}: secret ${value.secret} is not in ${source.describe()}`,
        nonRetryable: true,
      });
    }
    redactor.add(secret);
    return secret as Resolved<T>;
  }
  if (Array.isArray(value)) {
    return (await Promise.all(value.map((v, i) => resolveSecrets(v, source, redactor, [...path, String(i)])))) as Resolved<T>;
  }
  if (value !== null && typeof value === 'object') {
    const entries = await Promise.all(
      Object.entries(value).map(async ([k, v]) => [k, await resolveSecrets(v, source, redactor, [...path, k])] as const),
    );
    return Object.fromEntries(entries) as Resolved<T>;
  }
  return value as Resolved<T>;
}
