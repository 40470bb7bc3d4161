import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { stepErrors } from '@runwright/runbook';
import type { AddressPolicy } from '../config/address-policy.js';

/**
 * The address a step that opens its own connection (through a program such as `ssh`) should
 * connect to: the host resolved once, every address it resolves to checked by the worker's
 * outbound policy, and the first returned. The program is then given that address, not the
 * name, so what was checked is what it connects to (no second lookup for DNS to answer
 * differently).
 */
export async function allowedAddress(policy: AddressPolicy, host: string, where: string): Promise<string> {
  let addresses: string[];
  if (isIP(host)) {
    addresses = [host];
  } else {
    try {
      addresses = (await lookup(host, { all: true })).map((a) => a.address);
    } catch (error) {
      throw ApplicationFailure.create({ type: stepErrors.unreachable, message: `${where}: cannot resolve ${host}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` });
    }
  }
  for (const address of addresses) {
    const why = policy.refusal(address);
    if (why) throw ApplicationFailure.create({ type: stepErrors.addressRefused, message: `${where}: ${address === host ? why : `${host} resolves to ${why}`}`, nonRetryable: true });
  }
  return addresses[0]!;
}
