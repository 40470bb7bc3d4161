import type { StepOutput } from '@runwright/runbook';

type RsyncChange = StepOutput<'rsync'>['changes'][number];

/**
 * rsync prints one line per changed entry in this format (`--out-format`): a marker no other
 * rsync message starts with, the 11-character itemized summary, and the name. rsync escapes
 * every unprintable byte of a name as `\#ooo` (a newline is `\#012`, a backslash before `#`
 * is `\#134`), so a name never spans lines and the marker cannot be forged by one.
 */
export const changeMarker = '[rw] ';
export const outFormat = `${changeMarker}%i %n`;

const types: Record<string, RsyncChange['type']> = { f: 'file', d: 'directory', L: 'symlink', D: 'device', S: 'special' };

/** rsync's `\#ooo` escapes back to the bytes they stand for. */
export function decodeName(text: string): string {
  if (!text.includes('\\#')) return text;
  const bytes: number[] = [];
  const raw = Buffer.from(text, 'utf8');
  for (let i = 0; i < raw.length; i++) {
    const octal = raw[i] === 0x5c && raw[i + 1] === 0x23 ? /^[0-7]{3}/.exec(raw.subarray(i + 2, i + 5).toString('latin1')) : null;
    if (octal) {
      bytes.push(parseInt(octal[0], 8));
      i += 4;
    } else {
      bytes.push(raw[i]!);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** One itemized line (without the marker) as a change; undefined for a line that is not one. */
export function parseChange(line: string): RsyncChange | undefined {
  const itemized = line.slice(0, 11);
  const name = line.slice(12);
  if (line[11] !== ' ' || name === '') return undefined;
  const path = decodeName(name);
  if (itemized.startsWith('*deleting')) {
    // rsync says only that it deletes; a trailing slash is all it tells of the type.
    return { path, action: 'deleted', ...(path.endsWith('/') && { type: 'directory' as const }), itemized: itemized.trimEnd() };
  }
  const type = types[itemized[1]!];
  if (!type) return undefined;
  const attributes = itemized.slice(2);
  const action: RsyncChange['action'] = /^\++$/.test(attributes) ? 'created' : '<>ch'.includes(itemized[0]!) ? 'updated' : 'attributes';
  return { path, action, type, itemized };
}

/** The counts of `--stats` that the output reports. */
const statLines: Record<string, 'filesTransferred' | 'bytesSent' | 'bytesReceived'> = {
  'Number of regular files transferred': 'filesTransferred',
  'Total bytes sent': 'bytesSent',
  'Total bytes received': 'bytesReceived',
};

/**
 * Reads rsync's stdout as it streams: change lines and the `--stats` counts. A transfer of many
 * files prints many lines, so the changes kept are cut once they would pass `cap` bytes (the
 * count goes on); everything else rsync prints is dropped.
 */
export class RsyncOutputReader {
  readonly changes: RsyncChange[] = [];
  changeCount = 0;
  changesTruncated = false;
  readonly stats = { filesTransferred: 0, bytesSent: 0, bytesReceived: 0 };
  private kept = 0;
  private partial = '';

  constructor(private readonly cap: number) {}

  push(chunk: Buffer | string): void {
    const lines = (this.partial + chunk.toString()).split('\n');
    this.partial = lines.pop()!;
    for (const line of lines) this.line(line);
  }

  end(): void {
    if (this.partial) this.line(this.partial);
    this.partial = '';
  }

  private line(line: string): void {
    if (line.startsWith(changeMarker)) {
      const change = parseChange(line.slice(changeMarker.length));
      if (!change) return;
      this.changeCount++;
      const size = JSON.stringify(change).length;
      if (this.changesTruncated || this.kept + size > this.cap) {
        this.changesTruncated = true;
        return;
      }
      this.kept += size;
      this.changes.push(change);
      return;
    }
    const colon = line.indexOf(': ');
    const stat = colon > 0 ? statLines[line.slice(0, colon)] : undefined;
    if (stat) this.stats[stat] = Number(/^[\d,]+/.exec(line.slice(colon + 2))?.[0].replaceAll(',', '') ?? 0);
  }
}
