/** Base64 text of a secret that sits inside a larger encoded value is findable only by its middle. */
const shortestEncodedCore = 6;

/**
 * The base64 forms of a secret wherever it sits in the encoded bytes: for each of the three
 * alignments, the characters that depend on the secret's bytes alone (the ones at either end
 * mix with whatever surrounds it). Basic auth (`user:secret`) and tokens embedded in JSON that
 * was then encoded are caught this way, not only a secret encoded on its own.
 */
function base64Forms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms = [bytes.toString('base64'), bytes.toString('base64url')];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const core = encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6));
    if (core.length >= shortestEncodedCore) forms.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return forms;
}

/** How a secret reads once a program has put it in JSON, a URL or a form, or base64. */
export function encodedForms(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const asciiJson = json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const url = encodeURIComponent(secret);
  const lowerUrl = url.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase());
  const texts = [secret, json, asciiJson, asciiJson.replace(/\\u([0-9a-f]{4})/g, (_, hex: string) => `\\u${hex.toUpperCase()}`)];
  // Base64 of the secret itself and of its JSON forms: a token inside a JSON document that was then encoded.
  return [...texts, url, lowerUrl, url.replace(/%20/g, '+'), encodeURI(secret), ...[...new Set(texts.slice(0, 3))].flatMap(base64Forms)];
}

/**
 * Replaces every occurrence of the secret values a step used with `***`, in any value: the
 * values as they are, and as a program would print them escaped for JSON, encoded for a URL or
 * a form, or in base64.
 */
export class Redactor {
  private readonly values: string[] = [];

  add(value: string): void {
    // An empty value would match everywhere; it reveals nothing anyway.
    if (value.length === 0) return;
    for (const form of encodedForms(value)) {
      if (form.length > 0 && !this.values.includes(form)) this.values.push(form);
    }
    // Longest first, so a secret containing another is hidden whole.
    this.values.sort((a, b) => b.length - a.length);
  }

  get active(): boolean {
    return this.values.length > 0;
  }

  /** Whether a text carries a secret (in any form above): such a header stays with its origin. */
  carriesSecret(text: string): boolean {
    return this.values.some((value) => text.includes(value));
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
