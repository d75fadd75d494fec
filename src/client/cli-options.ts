/**
 * Connection flags shared by the client commands (`upload`, `status`, `watch`): flags win over the
 * `grpc` config (GRPC_TARGET, SURVEYSTREAM_TOKEN, GRPC_TLS_CA, GRPC_CLIENT_CERT/KEY).
 */
import type { Config } from '../config.js';
import type { ClientOptions } from './connection.js';

/** parseArgs options for the connection flags. */
export const CONNECTION_FLAGS = {
  target: { type: 'string' },
  token: { type: 'string' },
  ca: { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
  tls: { type: 'boolean', default: false },
  'server-name': { type: 'string' },
} as const;

/** Usage lines for the connection flags. */
export const CONNECTION_HELP = `connection (flags win over the environment):
  --target HOST:PORT   gateway (GRPC_TARGET; default GRPC_HOST:GRPC_PORT)
  --token TOKEN        device token (SURVEYSTREAM_TOKEN)
  --ca FILE            CA that signed the gateway's certificate; turns TLS on (GRPC_TLS_CA)
  --cert FILE --key FILE   client certificate for mTLS (GRPC_CLIENT_CERT, GRPC_CLIENT_KEY)
  --tls                TLS with the system's CAs
  --server-name NAME   expected name in the gateway's certificate`;

/** The values parseArgs gives for {@link CONNECTION_FLAGS}. */
export interface ConnectionFlagValues {
  target?: string | undefined;
  token?: string | undefined;
  ca?: string | undefined;
  cert?: string | undefined;
  key?: string | undefined;
  tls?: boolean | undefined;
  'server-name'?: string | undefined;
}

/** Client options from flags and config. */
export function clientOptionsFrom(values: ConnectionFlagValues, grpc: Config['grpc']): ClientOptions {
  const caFile = values.ca ?? grpc.tlsCaFile;
  const certFile = values.cert ?? grpc.clientCertFile;
  const keyFile = values.key ?? grpc.clientKeyFile;
  const token = values.token ?? grpc.token;
  return {
    target: values.target ?? grpc.target ?? `${grpc.host}:${grpc.port}`,
    tls: Boolean(values.tls || caFile || certFile),
    maxMessageBytes: grpc.maxMessageBytes,
    ...(caFile ? { caFile } : {}),
    ...(certFile ? { certFile } : {}),
    ...(keyFile ? { keyFile } : {}),
    ...(token ? { token } : {}),
    ...(values['server-name'] ? { serverName: values['server-name'] } : {}),
  };
}
