import { describe, expect, it } from 'vitest';
import { PipelineError } from '../../../src/errors.js';
import { parseS3Url } from '../../../src/store/index.js';

describe('parseS3Url', () => {
  it.each([
    ['s3://surveys', { bucket: 'surveys', prefix: '' }],
    ['s3://surveys/', { bucket: 'surveys', prefix: '' }],
    ['s3://surveys/prod', { bucket: 'surveys', prefix: 'prod' }],
    ['s3://surveys/prod/', { bucket: 'surveys', prefix: 'prod' }],
    ['s3://my.bucket-1/a/b/c', { bucket: 'my.bucket-1', prefix: 'a/b/c' }],
  ])('splits %j', (url, expected) => {
    expect(parseS3Url(url)).toEqual(expected);
  });

  it.each([
    ['file:///tmp/x', 'other scheme'],
    ['S3://bucket', 'upper-case scheme'],
    ['s3://', 'no bucket'],
    ['s3:///prefix', 'empty bucket'],
    ['s3://ab', 'bucket too short'],
    ['s3://-bucket', 'bucket starts with a hyphen'],
    ['s3://bucket?x=1', 'query string'],
    ['s3://bucket/a//b', 'empty prefix segment'],
    ['s3://bucket/a/../b', 'parent segment'],
    ['bucket/prefix', 'no scheme'],
  ])('rejects %j (%s) with CONFIG', (url) => {
    let caught: unknown;
    try {
      parseS3Url(url);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(PipelineError);
    expect((caught as PipelineError).code).toBe('CONFIG');
  });
});
