import { describe, expect, it } from 'vitest';
import { PiiProtector, generateKeySpec, parseKeyRing } from '../../../src/protect/pii.js';
import { PipelineError } from '../../../src/errors.js';

describe('PiiProtector', () => {
  const spec = generateKeySpec('k1');

  it('encrypts and decrypts a value', () => {
    const p = new PiiProtector(parseKeyRing(spec));
    const token = p.encryptValue('KAN-KAN-FER-K1768');
    expect(token).not.toContain('K1768');
    expect(p.decrypt(token).toString()).toBe('KAN-KAN-FER-K1768');
  });

  it('hashes deterministically, keyed', () => {
    const a = new PiiProtector(parseKeyRing(spec));
    const b = new PiiProtector(parseKeyRing(generateKeySpec('k1')));
    expect(a.hash('Kihanda')).toBe(a.hash('Kihanda'));
    expect(a.hash('Kihanda')).not.toBe(b.hash('Kihanda'));
    expect(a.hash(null)).toBe('');
  });

  it('rotates: new values use the active key, old ones stay readable, hashes stay stable', () => {
    const old = new PiiProtector(parseKeyRing(spec));
    const token = old.encryptValue('secret');
    const rotated = new PiiProtector(parseKeyRing(`${spec},${generateKeySpec('k2')}`));
    expect(rotated.activeKeyId).toBe('k2');
    expect(rotated.encryptValue('x').split('.')[1]).toBe('k2');
    expect(rotated.decrypt(token).toString()).toBe('secret');
    expect(rotated.hash('Kihanda')).toBe(old.hash('Kihanda'));
  });

  it('refuses a tampered ciphertext or an unknown key id', () => {
    const p = new PiiProtector(parseKeyRing(spec));
    const token = p.encryptValue('secret');
    const parts = token.split('.');
    parts[4] = Buffer.from('tampered').toString('base64url');
    expect(() => p.decrypt(parts.join('.'))).toThrow(PipelineError);
    expect(() => p.decrypt(token.replace('.k1.', '.zz.'))).toThrow(/no PII key/);
    expect(() => p.decrypt('garbage')).toThrow(/not a surveystream ciphertext/);
  });

  it('rejects malformed key specs', () => {
    expect(() => parseKeyRing('k1:short')).toThrow(/32 bytes/);
    expect(() => parseKeyRing('nocolon')).toThrow(/kid/);
    expect(() => parseKeyRing(spec, 'missing')).toThrow(/not in PII_KEYS/);
  });
});
