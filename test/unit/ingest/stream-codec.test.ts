import { describe, expect, it } from 'vitest';
import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { StreamSurveysRequest } from '../../../src/gen/surveystream/v1/ingest.js';
import { Survey } from '../../../src/gen/surveystream/v1/survey.js';
import { generateSurveys } from '../../../src/domain/generator/index.js';
import { surveyToProto } from '../../../src/domain/survey-codec.js';
import { decodeStreamRequest, readEnvelope } from '../../../src/ingest/stream-codec.js';

const surveys = [...generateSurveys({ seed: 11, count: 50 })].map((g) => surveyToProto(g).survey);

describe('stream-codec', () => {
  it('reads the same envelope as a full decode for generated surveys', () => {
    for (const s of surveys) {
      const bytes = Survey.encode({ ...s, deprecatedId: 'old-1' }).finish();
      const full = Survey.decode(bytes);
      expect(readEnvelope(bytes)).toEqual({ submissionId: full.submissionId, deprecatedId: 'old-1', district: full.district });
    }
  });

  it('keeps the survey bytes of the request as they were sent', () => {
    const survey = surveys[0]!;
    const req = StreamSurveysRequest.encode({ survey }).finish();
    const rec = decodeStreamRequest(req);
    expect(rec.ok).toBe(true);
    if (rec.ok) expect(Buffer.from(rec.raw)).toEqual(Buffer.from(Survey.encode(survey).finish()));
  });

  it('lets a later submission_id win, as protobuf decoding does', () => {
    const base = Survey.encode(surveys[1]!).finish();
    const tail = new BinaryWriter().uint32(10).string('appended-id').finish();
    const bytes = Buffer.concat([base, tail]);
    expect(readEnvelope(bytes).submissionId).toBe('appended-id');
    expect(Survey.decode(bytes).submissionId).toBe('appended-id');
  });

  it('skips unknown fields of every wire type', () => {
    const w = new BinaryWriter();
    w.uint32((999 << 3) | 0).uint64(2n ** 63n);
    w.uint32((998 << 3) | 1).fixed64(5n);
    w.uint32((997 << 3) | 5).fixed32(7);
    w.uint32((996 << 3) | 2).bytes(new Uint8Array(300));
    w.uint32(10).string('with-unknowns');
    expect(readEnvelope(w.finish())).toEqual({ submissionId: 'with-unknowns' });
  });

  it('returns a failure value for a request without a survey', () => {
    expect(decodeStreamRequest(new Uint8Array(0))).toEqual({ ok: false, reason: 'request has no survey', field: 'survey' });
  });

  it('returns a failure value for truncated or garbage bytes instead of throwing', () => {
    const req = StreamSurveysRequest.encode({ survey: surveys[2]! }).finish();
    const cut = decodeStreamRequest(req.subarray(0, req.length - 5));
    expect(cut.ok).toBe(false);
    const garbage = decodeStreamRequest(Buffer.from([0x0a, 0x05, 0xff, 0xff, 0xff, 0xff, 0xff]));
    expect(garbage.ok).toBe(false);
    if (!garbage.ok) expect(garbage.reason).toMatch(/undecodable/);
  });

  it('refuses invalid UTF-8 in the submission id', () => {
    const bad = new BinaryWriter().uint32(10).bytes(new Uint8Array([0xc3, 0x28])).finish();
    const req = new BinaryWriter().uint32(10).bytes(bad).finish();
    expect(decodeStreamRequest(req).ok).toBe(false);
  });
});
