/** Where a worker finds the values of `{ secret: NAME }` references. Pluggable: a vault client fits here. */
export interface SecretSource {
  /** The value, or undefined when this source does not know the name. */
  lookup(name: string): Promise<string | undefined>;
  /** Where values come from, for error messages (never a value). */
  describe(): string;
}

/** Asks each source in turn; the first that knows a name wins. */
export function chainSecretSources(...sources: SecretSource[]): SecretSource {
  return {
    async lookup(name) {
      for (const source of sources) {
        const value = await source.lookup(name);
        if (value !== undefined) return value;
      }
      return undefined;
    },
    describe: () => sources.map((s) => s.describe()).join(', then '),
  };
}
