import type { Daemon } from './pid-namespace.js';

/** The port Debian's prometheus-node-exporter listens on; each host binds it on its own address. */
export const nodeExporterPort = 9100;

const literal = (c: string) => (/[A-Za-z0-9]/.test(c) ? c : `\\${c}`);

/**
 * An RE2 pattern matching every string except `text`. node_exporter only takes mount points to
 * exclude, and RE2 has no look-ahead, so "all but this one" is spelled out: at each position the
 * string either ends early, turns off, or goes on with the next character; past the end it must
 * go on. Linear in the length of `text`.
 */
export function everythingBut(text: string): string {
  let rest = '.+';
  for (const c of [...text].reverse()) rest = `(?:[^${literal(c)}].*|${literal(c)}${rest})?`;
  return `^${rest}$`;
}

/**
 * Debian's node exporter for one host, bound to the host's address, with only the filesystem
 * collector and only the host's own data path: every lab host shares the machine's mount table,
 * and a host must not report (and alert on) its neighbours' filesystems.
 */
export function nodeExporter(address: string, dataPath: string, log: string): Daemon {
  return {
    argv: [
      '/usr/bin/prometheus-node-exporter',
      `--web.listen-address=${address}:${nodeExporterPort}`,
      '--collector.disable-defaults',
      '--collector.filesystem',
      `--collector.filesystem.mount-points-exclude=${everythingBut(dataPath)}`,
    ],
    log,
  };
}
