import { describe, expect, it } from 'vitest';
import { modelKeys } from '../../../src/registry/artifacts.js';
import { eventBody, modelEventSubject } from '../../../src/registry/events.js';
import { parsePointer } from '../../../src/registry/pointers.js';

describe('registry layout and wire forms', () => {
  it('keeps artifacts under models/<name>/<version>/', () => {
    expect(modelKeys('vulnerability', '20260301-020304-056')).toEqual({
      onnx: 'models/vulnerability/20260301-020304-056/model.onnx',
      card: 'models/vulnerability/20260301-020304-056/model.json',
    });
  });

  it('publishes events on models.v1.<event>', () => {
    expect(modelEventSubject('rolled_back')).toBe('models.v1.rolled_back');
    const body = eventBody(
      { name: 'm', version: '1', status: 'champion', event: 'promoted', reason: 'r', trigger: 'drift', metrics: { a: 1 }, previousVersion: '0', actor: 't', createdAtMs: 0, decidedAtMs: 1000 },
      7,
    );
    expect(body).toMatchObject({ version: '1', event: 'promoted', previous_version: '0', decided_at: '1970-01-01T00:00:01.000Z', seq: 7, metrics: { a: 1 } });
  });

  it('reads pointers, and treats empty or malformed values as unset', () => {
    const enc = (v: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(v));
    expect(parsePointer(enc({ name: 'm', version: '2', updatedAt: 'x', reason: 'r' }))).toMatchObject({ version: '2' });
    expect(parsePointer(new Uint8Array())).toBeUndefined();
    expect(parsePointer(undefined)).toBeUndefined();
    expect(parsePointer(enc({ name: 'm' }))).toBeUndefined();
  });
});
