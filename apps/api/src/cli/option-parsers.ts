import { InvalidArgumentError } from 'commander';

/**
 * A parser for an option that takes one of `choices`, matched without regard to case, `-` or `_`
 * (`timed-out` finds `TimedOut`), so people can type what they read; the error lists the choices.
 */
export function oneOf<const T extends string>(choices: readonly T[]): (value: string) => T {
  const squash = (s: string) => s.toLowerCase().replace(/[-_]/g, '');
  return (value) => {
    const found = choices.find((choice) => squash(choice) === squash(value));
    if (!found) throw new InvalidArgumentError(`choose one of ${choices.join(', ')}`);
    return found;
  };
}

export function integerBetween(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || n < min || n > max) throw new InvalidArgumentError(`a whole number from ${min} to ${max}`);
    return n;
  };
}

/** An ISO 8601 time with its offset (`2026-11-27T03:00:00Z`), as the API takes it. */
export function isoTime(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new InvalidArgumentError('an ISO 8601 time with offset, e.g. 2026-11-27T03:00:00Z');
  }
  return value;
}
