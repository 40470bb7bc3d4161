/**
 * Express's `trust proxy` value from RUNWRIGHT_TRUST_PROXY. Off unless configured: behind no
 * proxy, honouring `X-Forwarded-For` would let any caller choose the address the audit log
 * records and the failed-auth limit counts. A number trusts that many hops; otherwise the
 * value lists the proxies' addresses or CIDRs (or `loopback`, `linklocal`, `uniquelocal`).
 */
export function trustProxySetting(value: string): false | number | string[] {
  const trimmed = value.trim();
  if (trimmed === '' || trimmed === 'false' || trimmed === '0') return false;
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const addresses = trimmed.split(',').map((a) => a.trim()).filter(Boolean);
  if (addresses.includes('true') || addresses.includes('*')) {
    throw new Error('RUNWRIGHT_TRUST_PROXY: trusting every proxy lets any caller pick its address; give a hop count or the proxies\' addresses');
  }
  return addresses;
}
