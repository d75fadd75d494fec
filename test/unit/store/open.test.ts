import { describe, expect, it } from 'vitest';
import { openObjectStore } from '../../../src/store/index.js';

describe('openObjectStore', () => {
  it.each([
    [{ partSizeBytes: 1024 * 1024 }, /partSizeBytes/],
    [{ multipartThresholdBytes: -1 }, /multipartThresholdBytes/],
    [{ listPageSize: 5000 }, /listPageSize/],
  ])('rejects out-of-range tuning %j with CONFIG', async (tuning, message) => {
    await expect(openObjectStore({ dir: '/nonexistent', ...tuning })).rejects.toMatchObject({ code: 'CONFIG', message: expect.stringMatching(message) as unknown });
  });

  it('rejects half a credential pair with CONFIG', async () => {
    await expect(openObjectStore({ dir: '/x', url: 's3://bucket/p', accessKeyId: 'only-the-id' })).rejects.toMatchObject({ code: 'CONFIG' });
  });

  it('rejects a URL that is neither empty nor s3:// with CONFIG', async () => {
    await expect(openObjectStore({ dir: '/x', url: 'gs://bucket' })).rejects.toMatchObject({ code: 'CONFIG' });
  });
});
