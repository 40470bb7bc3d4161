/** Replaces every occurrence of the secret values a step used with `***`, in any value. */
export class Redactor {
  private readonly values: string[] = [];

  add(value: string): void {
    // An empty value would match everywhere; it reveals nothing anyway.
    if (value.length > 0 && !this.values.includes(value)) {
      this.values.push(value);
      // Longest first, so a secret containing another is hidden whole.
      this.values.sort((a, b) => b.length - a.length);
    }
  }

  get active(): boolean {
    return this.values.length > 0;
  }

  text(text: string): string {
    let result = text;
    for (const value of this.values) result = result.split(value).join('***');
    return result;
  }

  /** Redacts strings anywhere inside plain data (outputs, failure details). */
  deep<T>(value: T): T {
    if (!this.active) return value;
    if (typeof value === 'string') return this.text(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.deep(v)) as T;
    if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [this.text(k), this.deep(v)])) as T;
    }
    return value;
  }
}
