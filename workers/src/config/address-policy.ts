import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** One allow-list entry: a network (an address is a /32 or /128) or a host name, each on one port or any. */
type Allowed = { net: Address; bits: number; port?: number } | { name: string; port: number };

const settingName = 'RUNWRIGHT_OUTBOUND_ALLOW';

function parsePort(text: string, entry: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65_535) throw new Error(`outbound allow-list: "${entry}" has no valid port`);
  return port;
}

function parseNetwork(text: string): [Address, number] | undefined {
  try {
    if (text.includes('/')) return ipaddr.parseCIDR(text);
    const address = ipaddr.parse(text);
    return [address, address.kind() === 'ipv4' ? 32 : 128];
  } catch {
    return undefined;
  }
}

/**
 * `10.0.0.0/8`, `127.0.0.1`, `::1` (any port); `127.0.0.1:5432`, `[::1]:22`, `10.0.0.0/8:443`,
 * `[fd00::/8]:5432` (one port); `db.internal:5432` (a name as steps write it, one port).
 */
function parseEntry(entry: string): Allowed {
  const whole = parseNetwork(entry);
  if (whole) return { net: whole[0], bits: whole[1] };
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(entry);
  if (bracketed) {
    const network = parseNetwork(bracketed[1]!);
    if (!network) throw new Error(`outbound allow-list: "${entry}" is not an address or CIDR`);
    return { net: network[0], bits: network[1], port: parsePort(bracketed[2]!, entry) };
  }
  const withPort = /^([^:]+):(\d+)$/.exec(entry);
  if (withPort) {
    const port = parsePort(withPort[2]!, entry);
    const network = parseNetwork(withPort[1]!);
    if (network) return { net: network[0], bits: network[1], port };
    if (/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(withPort[1]!)) return { name: withPort[1]!.toLowerCase(), port };
  }
  throw new Error(`outbound allow-list: "${entry}" is not an address, a CIDR, address:port or host:port`);
}

const fromBytes = (bytes: number[]) => ipaddr.fromByteArray(bytes) as ipaddr.IPv4;

/**
 * The IPv4 address an IPv6 address stands for, when it is one in disguise: IPv4-mapped
 * (`::ffff:127.0.0.1`) and IPv4-compatible (`::127.0.0.1`), IPv4-translated (`::ffff:0:…`),
 * NAT64 (`64:ff9b::/96`, `64:ff9b:1::/48`), 6to4 (`2002::/16`) and Teredo (`2001::/32`).
 */
export function embeddedIPv4(address: ipaddr.IPv6): { address: ipaddr.IPv4; how: string } | undefined {
  const bytes = address.toByteArray();
  const parts = address.parts;
  const zeros = (from: number, to: number) => parts.slice(from, to).every((p) => p === 0);
  const last32 = fromBytes(bytes.slice(12, 16));
  if (zeros(0, 5) && parts[5] === 0xffff) return { address: last32, how: 'IPv4-mapped IPv6' };
  if (zeros(0, 4) && parts[4] === 0xffff && parts[5] === 0) return { address: last32, how: 'IPv4-translated IPv6' };
  // :: and ::1 are themselves (unspecified, loopback); the rest of ::/96 carries an IPv4 address.
  if (zeros(0, 6) && !(parts[6] === 0 && parts[7]! <= 1)) return { address: last32, how: 'IPv4-compatible IPv6' };
  if (parts[0] === 0x64 && parts[1] === 0xff9b && zeros(2, 6)) return { address: last32, how: 'NAT64' };
  if (parts[0] === 0x64 && parts[1] === 0xff9b && parts[2] === 1) return { address: last32, how: 'NAT64 (local use)' };
  if (parts[0] === 0x2002) return { address: fromBytes(bytes.slice(2, 6)), how: '6to4' };
  if (parts[0] === 0x2001 && parts[1] === 0) return { address: fromBytes(bytes.slice(12, 16).map((b) => b ^ 0xff)), how: 'Teredo' };
  return undefined;
}

function parseAddress(ip: string): Address | undefined {
  try {
    return ipaddr.parse(ip.replace(/^\[|\]$/g, ''));
  } catch {
    return undefined;
  }
}

/**
 * Which addresses outbound steps may reach — every socket a step opens (HTTP, ssh, SMTP,
 * PostgreSQL, rsync), checked against the address it connects to. Public unicast addresses are
 * allowed; loopback, private, link-local (cloud metadata at 169.254.169.254 lives there),
 * unique-local, carrier-grade NAT, unspecified (`0.0.0.0` reaches the host itself), multicast and
 * reserved ranges are refused unless an entry allows them — and so is any IPv6 address that
 * carries one of those in disguise. A runbook cannot be turned into a probe of the worker's own
 * network by a parameter or an alert label.
 */
export class AddressPolicy {
  private readonly allowed: Allowed[];

  constructor(readonly allow: readonly string[] = []) {
    this.allowed = allow.map(parseEntry);
  }

  static fromList(list: string): AddressPolicy {
    return new AddressPolicy(list.split(',').map((s) => s.trim()).filter(Boolean));
  }

  private allows(addresses: Address[], port: number | undefined, hostname: string | undefined): boolean {
    const name = hostname?.toLowerCase().replace(/\.$/, '');
    return this.allowed.some((entry) => {
      if ('name' in entry) return entry.name === name && entry.port === port;
      if (entry.port !== undefined && entry.port !== port) return false;
      return addresses.some((address) => address.kind() === entry.net.kind() && address.match(entry.net as never, entry.bits));
    });
  }

  /**
   * Why an address is refused, or undefined when it may be reached. `port` and `hostname` (the
   * name the step wrote, before it was resolved) are matched against `host:port` entries.
   */
  refusal(ip: string, port?: number, hostname?: string): string | undefined {
    const address = parseAddress(ip);
    if (!address) return `${ip} is not an IP address`;
    const disguise = address.kind() === 'ipv6' ? embeddedIPv4(address as ipaddr.IPv6) : undefined;
    const judged = disguise?.address ?? address;
    const range = judged.range();
    if (range === 'unicast') return undefined;
    if (this.allows([address, judged], port, hostname)) return undefined;
    const what = disguise ? `${judged.toString()} in disguise (${disguise.how}), a ${range} address` : `a ${range} address`;
    const example = port === undefined ? judged.toString() : judged.kind() === 'ipv6' ? `[${judged.toString()}]:${port}` : `${judged.toString()}:${port}`;
    return `${ip} is ${what}, refused by the worker's outbound policy (allow it with ${settingName}, e.g. ${example})`;
  }
}
