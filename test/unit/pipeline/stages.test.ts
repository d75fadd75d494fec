import { from, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { Survey } from '../../../src/gen/surveystream/v1/survey.js';
import { decode, validate } from '../../../src/pipeline/stages.js';
import type { ValidationResult } from '../../../src/validate/index.js';
import { envelope, fakeMsg } from './fakes.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('decode', () => {
  it('decodes a protobuf survey into original column names', async () => {
    const bytes = Survey.encode(Survey.fromPartial({ submissionId: 's1', district: 'Kanungu', householdSize: 5, season2VegetableIncome: 12.5 })).finish();
    const [item] = await lastValueFrom(from([envelope(fakeMsg(bytes, 1))]).pipe(decode(), toArray()));
    expect(item?.kind).toBe('decoded');
    if (item?.kind !== 'decoded') return;
    expect(item.record.meta.submissionId).toBe('s1');
    expect(item.record.values['District']).toBe('Kanungu');
    expect(item.record.values['Season2VegatableIncome']).toBe(12.5);
    expect(item.record.values['TimeToOPD']).toBeNull();
  });

  it('decodes JSON records, keeping raw types for validation to judge', async () => {
    const msg = fakeMsg(enc('{"submission_id":"j1","District":"Mitooma","HouseholdSize":"abc"}'), 2, { contentType: 'application/json' });
    const [item] = await lastValueFrom(from([envelope(msg)]).pipe(decode(), toArray()));
    expect(item?.kind === 'decoded' && item.record.values['HouseholdSize']).toBe('abc');
  });

  it('rejects undecodable payloads and records without a submission id', async () => {
    const items = await lastValueFrom(
      from([
        envelope(fakeMsg(enc('{oops'), 3, { contentType: 'application/json' })),
        envelope(fakeMsg(new Uint8Array([0xff, 0xff, 0xff]), 4)),
        envelope(fakeMsg(Survey.encode(Survey.fromPartial({ district: 'Kanungu' })).finish(), 5)),
      ]).pipe(decode(), toArray()),
    );
    expect(items.map((i) => i.kind === 'rejected' && i.ruleIds[0])).toEqual(['decode.payload', 'decode.payload', 'decode.submission_id']);
  });
});

describe('validate', () => {
  const verdict = (valid: boolean): ValidationResult => ({
    valid,
    qualityScore: valid ? 0.9 : 0,
    hits: valid
      ? [{ ruleId: 'w.one', severity: 'warning', fields: ['TimeToOPD'], message: 'odd' }]
      : [{ ruleId: 'range.HouseholdSize', severity: 'error', fields: ['HouseholdSize'], message: 'too big' }],
  });

  it('rejects on error hits with their rule ids and keeps warnings on accepted records', async () => {
    const good = Survey.encode(Survey.fromPartial({ submissionId: 'a', district: 'Kanungu', householdSize: 3 })).finish();
    const bad = Survey.encode(Survey.fromPartial({ submissionId: 'b', district: 'Kanungu', householdSize: 99 })).finish();
    const items = await lastValueFrom(
      from([envelope(fakeMsg(good, 1)), envelope(fakeMsg(bad, 2))]).pipe(
        decode(),
        validate((v) => verdict(v['HouseholdSize'] !== 99)),
        toArray(),
      ),
    );
    expect(items[0]?.kind).toBe('accepted');
    expect(items[0]?.kind === 'accepted' && items[0].validation.qualityScore).toBe(0.9);
    expect(items[1]).toMatchObject({ kind: 'rejected', stage: 'validate', ruleIds: ['range.HouseholdSize'], submissionId: 'b', district: 'Kanungu' });
  });
});
