import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * Which addresses outbound steps may reach. Public unicast addresses are allowed; loopback,
 * private, link-local (cloud metadata at 169.254.169.254 lives there), unique-local,
 * carrier-grade NAT, multicast and reserved ranges are refused unless a CIDR allows them,
 * so a runbook cannot be turned into a probe of the worker's own network by accident.
 */
export class AddressPolicy {
  private readonly allowed: [Address, number][];

  constructor(readonly allow: readonly string[] = []) {
    this.allowed = allow.map((cidr) => {
      try {
        return cidr.includes('/') ? ipaddr.parseCIDR(cidr) : ([ipaddr.parse(cidr), ipaddr.parse(cidr).kind() === 'ipv4' ? 32 : 128] as [Address, number]);
      } catch {
        throw new Error(`outbound allow-list: "${cidr}" is not an address or CIDR`);
      }
    });
  }

  static fromList(list: string): AddressPolicy {
    return new AddressPolicy(list.split(',').map((s) => s.trim()).filter(Boolean));
  }

  /** Why an address is refused, or undefined when it may be reached. */
  refusal(ip: string): string | undefined {
    let address: Address;
    try {
      address = ipaddr.parse(ip);
    } catch {
      return `${ip} is not an IP address`;
    }
    // ::ffff:127.0.0.1 is loopback in disguise.
    if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
      address = (address as ipaddr.IPv6).toIPv4Address();
    }
    const range = address.range();
    if (range === 'unicast') return undefined;
    for (const [net, bits] of this.allowed) {
      if (net.kind() === address.kind() && address.match(net as never, bits)) return undefined;
    }
    return `${ip} is a ${range} address, refused by the worker's outbound policy (allow it with RUNWRIGHT_HTTP_ALLOW)`;
  }
}
