/**
 * Call authentication: `authorization: Bearer <device token>` metadata, checked against the token
 * bucket on every call (so a revocation takes effect at once). Health and reflection are not
 * wrapped and stay open. A refused call is answered UNAUTHENTICATED before anything is read or
 * stored.
 */
import type { Metadata } from '@grpc/grpc-js';
import type { KV } from '@nats-io/kv';
import { PipelineError } from '../errors.js';
import { verifyToken, type Principal } from './tokens.js';

/** Decides who is calling, or throws UNAUTHENTICATED (or UNAVAILABLE when the bucket is down). */
export interface Authenticator {
  readonly mode: 'none' | 'token';
  authenticate(metadata: Metadata): Promise<Principal>;
}

const ANONYMOUS: Principal = Object.freeze({ deviceId: '' });

/** Auth off: every call is anonymous. */
export const noAuth: Authenticator = { mode: 'none', authenticate: () => Promise.resolve(ANONYMOUS) };

function unauthenticated(message: string): PipelineError {
  return new PipelineError('UNAUTHENTICATED', message, false, { details: { reason: 'token' } });
}

/** The bearer token of a call, or undefined. */
export function bearerToken(metadata: Metadata): string | undefined {
  const [value] = metadata.get('authorization');
  if (typeof value !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value);
  return match?.[1];
}

/** Token auth against the KV bucket. */
export function tokenAuth(kv: KV): Authenticator {
  return {
    mode: 'token',
    async authenticate(metadata) {
      const token = bearerToken(metadata);
      if (!token) throw unauthenticated('missing "authorization: Bearer <device token>" metadata');
      let principal: Principal | undefined;
      try {
        principal = await verifyToken(kv, token);
      } catch (err) {
        throw new PipelineError('UNAVAILABLE', 'cannot check the token right now; retry later', true, {
          cause: err,
          details: { 'retry-after-ms': '1000' },
        });
      }
      if (!principal) throw unauthenticated('invalid or revoked device token');
      return principal;
    },
  };
}
