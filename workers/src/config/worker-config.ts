import { actionTypes, type ActionType, type Settings } from '@runwright/runbook';
import { envSecretSource } from '../secrets/env-secret-source.js';
import { fileSecretSource } from '../secrets/file-secret-source.js';
import { chainSecretSources, type SecretSource } from '../secrets/secret-source.js';
import { AddressPolicy } from './address-policy.js';

/** What a worker's activities need from their site: secrets, the outbound address policy (every socket a step opens), ssh's known hosts. */
export interface ActivityConfig {
  secrets: SecretSource;
  addresses: AddressPolicy;
  /** known_hosts file for ssh steps that name none (RUNWRIGHT_SSH_KNOWN_HOSTS). */
  sshKnownHostsFile?: string;
}

/** The action kinds named in RUNWRIGHT_WORKER_KINDS; all of them when it is empty. */
export function workerKinds(settings: Settings): ActionType[] {
  const named = settings.RUNWRIGHT_WORKER_KINDS.split(',').map((s) => s.trim()).filter(Boolean);
  if (named.length === 0) return [...actionTypes];
  const unknown = named.filter((kind) => !(actionTypes as string[]).includes(kind));
  if (unknown.length > 0) {
    throw new Error(`RUNWRIGHT_WORKER_KINDS names unknown action kinds: ${unknown.join(', ')} (known: ${actionTypes.join(', ')})`);
  }
  return named as ActionType[];
}

/** Activity config from the worker's settings: the secrets file first, then RUNWRIGHT_SECRET_* variables. */
export function activityConfigFromSettings(settings: Settings, env: Record<string, string | undefined> = process.env): ActivityConfig {
  const sources = [...(settings.RUNWRIGHT_SECRETS_FILE ? [fileSecretSource(settings.RUNWRIGHT_SECRETS_FILE)] : []), envSecretSource(env)];
  return {
    secrets: chainSecretSources(...sources),
    addresses: AddressPolicy.fromList([settings.RUNWRIGHT_OUTBOUND_ALLOW, settings.RUNWRIGHT_HTTP_ALLOW].filter(Boolean).join(',')),
    ...(settings.RUNWRIGHT_SSH_KNOWN_HOSTS && { sshKnownHostsFile: settings.RUNWRIGHT_SSH_KNOWN_HOSTS }),
  };
}
