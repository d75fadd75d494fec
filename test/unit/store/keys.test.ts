import { describe, expect, it } from 'vitest';
import { PipelineError } from '../../../src/errors.js';
import { assertValidKey, assertValidPrefix, compareKeys, normalizeMetadata } from '../../../src/store/keys.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof PipelineError ? err.code : 'not a PipelineError';
  }
}

describe('assertValidKey', () => {
  it.each([
    'a',
    'raw/date=2024-05-01/hour=07/batch-0001.ndjson.gz',
    'models/risk/2024.05.01/model.onnx',
    'uploads/0f6c/Household Survey (v2).xlsx',
    'a.b/..c/c..',
    'ünïcode/名前',
  ])('accepts %j', (key) => {
    expect(codeOf(() => assertValidKey(key))).toBeUndefined();
  });

  it.each([
    ['', 'empty'],
    ['/etc/passwd', 'absolute'],
    ['../x', 'parent segment'],
    ['a/../../x', 'inner parent segment'],
    ['a/./b', 'dot segment'],
    ['a//b', 'empty segment'],
    ['a/', 'trailing slash'],
    ['a\u0000b', 'NUL'],
    ['a\nb', 'newline'],
    ['a\\..\\b', 'backslash'],
    ['a/.~tmp.1234', 'reserved segment'],
    ['x'.repeat(256), 'segment over 255 bytes'],
    [`${'a/'.repeat(512)}b`, 'over 1024 bytes'],
  ])('rejects %j (%s) with INVALID_ARGUMENT', (key) => {
    expect(codeOf(() => assertValidKey(key))).toBe('INVALID_ARGUMENT');
  });

  it('is not retryable', () => {
    try {
      assertValidKey('../x');
    } catch (err) {
      expect((err as PipelineError).retryable).toBe(false);
    }
  });
});

describe('assertValidPrefix', () => {
  it.each(['', 'raw/', 'raw/date=2024-05', 'models/risk/'])('accepts %j', (prefix) => {
    expect(codeOf(() => assertValidPrefix(prefix))).toBeUndefined();
  });

  it.each(['/raw', '../', 'raw/../', 'a//', 'a\u0000'])('rejects %j', (prefix) => {
    expect(codeOf(() => assertValidPrefix(prefix))).toBe('INVALID_ARGUMENT');
  });
});

describe('normalizeMetadata', () => {
  it('lower-cases keys as S3 does and keeps values', () => {
    expect(normalizeMetadata({ 'Model-Version': '3', sha256: 'ab' })).toEqual({ 'model-version': '3', sha256: 'ab' });
  });

  it('treats absent and empty metadata alike, as S3 reports them', () => {
    expect(normalizeMetadata(undefined)).toBeUndefined();
    expect(normalizeMetadata({})).toBeUndefined();
  });

  it.each<[Record<string, string>, string]>([
    [{ 'bad key': 'x' }, 'space in key'],
    [{ k: 'é' }, 'non-ASCII value'],
    [{ k: 'a\nb' }, 'newline in value'],
    [{ k: 'x'.repeat(3000) }, 'over 2 KiB'],
  ])('rejects %j (%s)', (metadata) => {
    expect(codeOf(() => normalizeMetadata(metadata))).toBe('INVALID_ARGUMENT');
  });
});

describe('compareKeys', () => {
  it('orders by UTF-8 bytes like S3 (not UTF-16 code units)', () => {
    const keys = ['a/b', 'a-b', 'a', '\u{1F600}', '\uFF21', 'A'];
    expect([...keys].sort(compareKeys)).toEqual(['A', 'a', 'a-b', 'a/b', '\uFF21', '\u{1F600}']);
  });
});
