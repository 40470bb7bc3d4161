import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { stepErrors } from '@runwright/runbook';
import type { AddressPolicy } from '../config/address-policy.js';

export interface OutboundAddress {
  /** The address to connect to: checked, and the one the name resolved to, so nothing resolves it again. */
  address: string;
  family: 4 | 6;
}

export function addressRefused(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: stepErrors.addressRefused, message, nonRetryable: true });
}

/**
 * The one gate every step kind passes before it opens a socket (ssh, SMTP, PostgreSQL, rsync;
 * HTTP checks the same policy inside its connection's lookup): resolves `host`, checks every
 * address it resolves to against the worker's outbound policy, and gives back the address to
 * connect to. Connect to that address — never to `host` again — so a name that resolves to
 * something else a moment later (DNS rebinding) changes nothing. `what` names the step's target
 * in messages (`db-1:5432`, `smtp of notify`). A refusal fails the step without retrying; a name
 * that does not resolve is `Unreachable`, which a retry may cure.
 */
export async function outboundAddress(policy: AddressPolicy, host: string, port: number, what = `${host}:${port}`): Promise<OutboundAddress> {
  const literal = host.replace(/^\[|\]$/g, '');
  if (isIP(literal)) {
    const why = policy.refusal(literal, port);
    if (why) throw addressRefused(`${what}: ${why}`);
    return { address: literal, family: isIP(literal) as 4 | 6 };
  }
  let addresses: { address: string; family: number }[];
  try {
    addresses = await lookup(literal, { all: true, verbatim: true });
  } catch (error) {
    throw ApplicationFailure.create({ type: stepErrors.unreachable, message: `${what}: cannot resolve ${host} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` });
  }
  // Every address the name has must be allowed: a name that points at a public and a private
  // address is refused, whichever one a client would have picked.
  for (const { address } of addresses) {
    const why = policy.refusal(address, port, literal);
    if (why) throw addressRefused(`${what}: ${host} resolves to ${why}`);
  }
  const [first] = addresses;
  if (!first) throw ApplicationFailure.create({ type: stepErrors.unreachable, message: `${what}: ${host} resolves to no address` });
  return { address: first.address, family: first.family as 4 | 6 };
}
