/**
 * How clients (CLI, demo, tests, device apps written in TypeScript) reach the gateway: channel
 * credentials (plaintext, TLS with a CA, or mTLS with a client certificate), the bearer token as
 * call metadata, and channel options matching the server's limits.
 */
import { readFileSync } from 'node:fs';
import { credentials, Metadata, type ChannelCredentials, type ChannelOptions } from '@grpc/grpc-js';

/** Where and how to connect. */
export interface ClientOptions {
  /** `host:port`. */
  target: string;
  /** Use TLS (implied by caFile/certFile). With no caFile the system roots verify the server. */
  tls?: boolean;
  /** CA bundle (PEM) that signed the server's certificate. */
  caFile?: string;
  /** Client certificate and key (PEM) for mTLS. */
  certFile?: string;
  keyFile?: string;
  /** Device token, sent as `authorization: Bearer <token>`. */
  token?: string;
  /** Verify the server certificate against this name instead of the target's host. */
  serverName?: string;
  /** Largest message either way, bytes. @default 4 MiB */
  maxMessageBytes?: number;
}

/** Channel credentials for the options. */
export function channelCredentials(opts: ClientOptions): ChannelCredentials {
  const tls = opts.tls ?? Boolean(opts.caFile || opts.certFile);
  if (!tls) return credentials.createInsecure();
  return credentials.createSsl(
    opts.caFile ? readFileSync(opts.caFile) : null,
    opts.keyFile ? readFileSync(opts.keyFile) : null,
    opts.certFile ? readFileSync(opts.certFile) : null,
  );
}

/** Channel options: message limits, keepalive, TLS name override. */
export function channelOptions(opts: ClientOptions): ChannelOptions {
  const max = opts.maxMessageBytes ?? 4 * 1024 * 1024;
  return {
    'grpc.max_receive_message_length': max,
    'grpc.max_send_message_length': max,
    'grpc.keepalive_time_ms': 60_000,
    'grpc.keepalive_timeout_ms': 20_000,
    ...(opts.serverName ? { 'grpc.ssl_target_name_override': opts.serverName, 'grpc.default_authority': opts.serverName } : {}),
  };
}

/** Call metadata carrying the token, when there is one. */
export function callMetadata(token?: string): Metadata {
  const md = new Metadata();
  if (token) md.set('authorization', `Bearer ${token}`);
  return md;
}

/** The retry hint of a failed call (`x-detail-retry-after-ms`), if any. */
export function retryAfterMs(err: { metadata?: Metadata }): number | undefined {
  const [v] = err.metadata?.get('x-detail-retry-after-ms') ?? [];
  const n = Number(v);
  return v !== undefined && Number.isFinite(n) ? n : undefined;
}
