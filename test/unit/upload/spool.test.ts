import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Spool } from '../../../src/upload/spool.js';

const dir = mkdtempSync(join(tmpdir(), 'surveystream-spool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('upload spool', () => {
  it('writes the chunks, hashes them and accepts UTF-8 split across chunks', async () => {
    const spool = await Spool.open(join(dir, 'a', 'file.csv'), { maxBytes: 100, utf8: true });
    const text = Buffer.from('Kanungu,é,ü\n');
    const cut = text.indexOf(0xc3) + 1; // inside the two-byte "é"
    await spool.write(text.subarray(0, cut));
    await spool.write(text.subarray(cut));
    const file = await spool.finish();
    expect(file).toEqual({ path: join(dir, 'a', 'file.csv'), bytes: text.length, sha256: createHash('sha256').update(text).digest('hex') });
    expect(readFileSync(file.path)).toEqual(text);
  });

  it('refuses bytes over the limit', async () => {
    const spool = await Spool.open(join(dir, 'b', 'file.bin'), { maxBytes: 10, utf8: false });
    await spool.write(Buffer.alloc(8));
    await expect(spool.write(Buffer.alloc(3))).rejects.toMatchObject({ code: 'RESOURCE_EXHAUSTED', details: { reason: 'too_large', 'limit-bytes': '10' } });
    await spool.discard();
    expect(existsSync(join(dir, 'b'))).toBe(false);
  });

  it('refuses invalid UTF-8, including a sequence cut off at the end', async () => {
    const bad = await Spool.open(join(dir, 'c', 'f.csv'), { maxBytes: 100, utf8: true });
    await expect(bad.write(Buffer.from([0x41, 0xff, 0x41]))).rejects.toMatchObject({ details: { reason: 'utf8' } });
    await bad.discard();
    const cut = await Spool.open(join(dir, 'd', 'f.csv'), { maxBytes: 100, utf8: true });
    await cut.write(Buffer.from([0x41, 0xc3]));
    await expect(cut.finish()).rejects.toMatchObject({ details: { reason: 'utf8' } });
  });
});
