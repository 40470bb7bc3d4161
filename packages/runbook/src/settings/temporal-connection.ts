import { temporalAddress, type Settings } from './environment.js';

/** The options both `Connection` (client) and `NativeConnection` (worker) accept. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: {
    serverNameOverride?: string;
    serverRootCACertificate?: Uint8Array;
    clientCertPair?: { crt: Uint8Array; key: Uint8Array };
  };
  apiKey?: string;
}

/**
 * Connection options from settings. File reading is passed in, so this stays free of Node and
 * the API and the worker build their connections the same way.
 */
export function temporalConnectionOptions(
  settings: Settings,
  readFile: (path: string) => Uint8Array,
): TemporalConnectionOptions {
  const { TEMPORAL_TLS_CERT: cert, TEMPORAL_TLS_KEY: key, TEMPORAL_TLS_CA: ca, TEMPORAL_TLS_SERVER_NAME: serverName } = settings;
  if (Boolean(cert) !== Boolean(key)) {
    throw new Error('TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together');
  }
  const wantsTls = Boolean(cert || ca || serverName || settings.TEMPORAL_API_KEY);
  return {
    address: temporalAddress(settings),
    ...(wantsTls && {
      tls: {
        ...(serverName && { serverNameOverride: serverName }),
        ...(ca && { serverRootCACertificate: readFile(ca) }),
        ...(cert && key && { clientCertPair: { crt: readFile(cert), key: readFile(key) } }),
      },
    }),
    ...(settings.TEMPORAL_API_KEY && { apiKey: settings.TEMPORAL_API_KEY }),
  };
}
