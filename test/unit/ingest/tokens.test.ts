import { describe, expect, it } from 'vitest';
import { Metadata } from '@grpc/grpc-js';
import { bearerToken, noAuth, tokenAuth } from '../../../src/ingest/auth.js';
import { issueToken, listTokens, revokeToken, verifyToken } from '../../../src/ingest/tokens.js';
import { fakeKv } from './fakes.js';

const md = (auth?: string): Metadata => {
  const m = new Metadata();
  if (auth !== undefined) m.set('authorization', auth);
  return m;
};

describe('device tokens', () => {
  it('verifies an issued token and never stores it', async () => {
    const kv = fakeKv();
    const { token, record } = await issueToken(kv, 'DEV-1', 'tablet');
    expect(token).toMatch(/^sst1\.REVWLTE\.[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(record)).not.toContain(token.split('.')[2]);
    expect(await verifyToken(kv, token)).toEqual({ deviceId: 'DEV-1' });
    expect(await verifyToken(kv, `${token.slice(0, -1)}x`)).toBeUndefined();
    expect(await verifyToken(kv, 'sst1.REVWLTI.abc')).toBeUndefined();
    expect(await verifyToken(kv, 'garbage')).toBeUndefined();
  });

  it('replaces a device token on re-issue and refuses it once revoked', async () => {
    const kv = fakeKv();
    const first = await issueToken(kv, 'DEV-2');
    const second = await issueToken(kv, 'DEV-2');
    expect(await verifyToken(kv, first.token)).toBeUndefined();
    expect(await verifyToken(kv, second.token)).toEqual({ deviceId: 'DEV-2' });
    expect(await revokeToken(kv, 'DEV-2')).toBe(true);
    expect(await revokeToken(kv, 'DEV-2')).toBe(false);
    expect(await verifyToken(kv, second.token)).toBeUndefined();
    const [listed] = await listTokens(kv);
    expect(listed).toMatchObject({ device_id: 'DEV-2', revoked_at_ms: expect.any(Number) as unknown });
  });

  it('refuses device ids that are not printable ASCII', async () => {
    await expect(issueToken(fakeKv(), 'has space')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('call authentication', () => {
  it('reads the bearer token of the call', () => {
    expect(bearerToken(md('Bearer abc'))).toBe('abc');
    expect(bearerToken(md('bearer   abc '))).toBe('abc');
    expect(bearerToken(md('Basic abc'))).toBeUndefined();
    expect(bearerToken(md())).toBeUndefined();
  });

  it('answers UNAUTHENTICATED for a missing or wrong token, the device for a good one', async () => {
    const kv = fakeKv();
    const { token } = await issueToken(kv, 'DEV-3');
    const auth = tokenAuth(kv);
    await expect(auth.authenticate(md())).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringMatching(/missing/) as unknown });
    await expect(auth.authenticate(md('Bearer nope'))).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringMatching(/invalid or revoked/) as unknown });
    await expect(auth.authenticate(md(`Bearer ${token}`))).resolves.toEqual({ deviceId: 'DEV-3' });
    await expect(noAuth.authenticate(md())).resolves.toEqual({ deviceId: '' });
  });

  it('answers UNAVAILABLE when the token store cannot be read', async () => {
    const broken = { get: () => Promise.reject(new Error('no responders')) } as unknown as Parameters<typeof tokenAuth>[0];
    await expect(tokenAuth(broken).authenticate(md('Bearer sst1.eA.eA'))).rejects.toMatchObject({ code: 'UNAVAILABLE', retryable: true });
  });
});
