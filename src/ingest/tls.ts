/**
 * Server credentials from the `grpc` config: plaintext (development), TLS with a server
 * certificate, or mutual TLS requiring client certificates signed by `tlsCaFile`.
 */
import { readFileSync } from 'node:fs';
import { ServerCredentials } from '@grpc/grpc-js';
import type { Config } from '../config.js';
import { PipelineError } from '../errors.js';

/** The TLS part of the gRPC config. */
export type TlsConfig = Pick<Config['grpc'], 'tlsCertFile' | 'tlsKeyFile' | 'tlsCaFile' | 'requireClientCert'>;

function read(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new PipelineError('CONFIG', `cannot read the gRPC ${what} ${path}: ${(err as Error).message}`, false, { cause: err });
  }
}

/** True when the config turns TLS on. */
export function tlsEnabled(cfg: TlsConfig): boolean {
  return Boolean(cfg.tlsCertFile || cfg.tlsKeyFile);
}

/** Builds the credentials; throws CONFIG on an incomplete TLS setup. */
export function serverCredentials(cfg: TlsConfig): ServerCredentials {
  if (!tlsEnabled(cfg)) {
    if (cfg.requireClientCert) {
      throw new PipelineError('CONFIG', 'GRPC_REQUIRE_CLIENT_CERT needs TLS: set GRPC_TLS_CERT and GRPC_TLS_KEY', false);
    }
    return ServerCredentials.createInsecure();
  }
  if (!cfg.tlsCertFile || !cfg.tlsKeyFile) {
    throw new PipelineError('CONFIG', 'gRPC TLS needs both GRPC_TLS_CERT and GRPC_TLS_KEY', false);
  }
  if (cfg.requireClientCert && !cfg.tlsCaFile) {
    throw new PipelineError('CONFIG', 'GRPC_REQUIRE_CLIENT_CERT needs GRPC_TLS_CA (the CA that signs client certificates)', false);
  }
  const ca = cfg.tlsCaFile ? read(cfg.tlsCaFile, 'CA file') : null;
  return ServerCredentials.createSsl(
    ca,
    [{ cert_chain: read(cfg.tlsCertFile, 'certificate'), private_key: read(cfg.tlsKeyFile, 'key') }],
    cfg.requireClientCert,
  );
}
