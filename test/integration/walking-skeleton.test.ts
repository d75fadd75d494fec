import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { status, type ServiceError } from '@grpc/grpc-js';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { Survey } from '../../src/gen/surveystream/v1/survey.js';
import { SubmitStatus } from '../../src/gen/surveystream/v1/ingest.js';
import { generateSurveys } from '../../src/domain/generator/index.js';
import { surveyToProto } from '../../src/domain/survey-codec.js';
import { eventually, startTestPipeline, type TestPipeline } from '../harness/pipeline.js';

function validSurvey(seed: number, id: string): Survey {
  const [generated] = [...generateSurveys({ seed, count: 1 })];
  const { survey, errors } = surveyToProto({ ...generated!, meta: { ...generated!.meta, submissionId: id } });
  expect(errors).toEqual([]);
  return survey;
}

async function countFinal(p: TestPipeline, id: string): Promise<number> {
  const [row] = await p.query<{ n: string }>('SELECT count() AS n FROM {db}.surveys FINAL WHERE submission_id = {id:String}', { id });
  return Number(row?.n ?? 0);
}

describe('walking skeleton: gRPC → JetStream → worker → ClickHouse', () => {
  let p: TestPipeline;

  beforeAll(async () => {
    p = await startTestPipeline();
  });
  afterAll(async () => {
    await p?.[Symbol.asyncDispose]();
  });

  it('stores an acknowledged survey in ClickHouse exactly once', async () => {
    const survey = validSurvey(1, 'skeleton-once-1');
    const res = await p.client.submit(survey);
    expect(res.status).toBe(SubmitStatus.SUBMIT_STATUS_ACCEPTED);
    expect(res.streamSequence).toBeGreaterThan(0);
    await eventually(async () => (await countFinal(p, 'skeleton-once-1')) === 1);
    const [row] = await p.query<Record<string, unknown>>('SELECT * FROM {db}.surveys FINAL WHERE submission_id = {id:String}', {
      id: 'skeleton-once-1',
    });
    expect(row?.['District']).toBe(survey.district);
    expect(row?.['HouseholdSize']).toBe(survey.householdSize);
    // The raw table holds one physical row too: the record was processed once.
    const [raw] = await p.query<{ n: string }>('SELECT count() AS n FROM {db}.surveys WHERE submission_id = {id:String}', { id: 'skeleton-once-1' });
    expect(Number(raw?.n)).toBe(1);
  });

  it('answers DUPLICATE to a resend and keeps one row', async () => {
    const survey = validSurvey(2, 'skeleton-dup-1');
    const first = await p.client.submit(survey);
    const second = await p.client.submit(survey);
    expect(first.status).toBe(SubmitStatus.SUBMIT_STATUS_ACCEPTED);
    expect(second.status).toBe(SubmitStatus.SUBMIT_STATUS_DUPLICATE);
    expect(second.streamSequence).toBe(first.streamSequence);
    await eventually(async () => (await countFinal(p, 'skeleton-dup-1')) === 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(await countFinal(p, 'skeleton-dup-1')).toBe(1);
  });

  it('dead-letters a malformed survey with its reason while the next good survey lands', async () => {
    const bad = validSurvey(3, 'skeleton-bad-1');
    delete bad.householdSize;
    const badRes = await p.client.submit(bad);
    expect(badRes.status).toBe(SubmitStatus.SUBMIT_STATUS_ACCEPTED);
    const good = validSurvey(4, 'skeleton-good-after-bad');
    await p.client.submit(good);

    await eventually(async () => (await countFinal(p, 'skeleton-good-after-bad')) === 1);
    const rejections = await eventually(async () => {
      const rows = await p.query<{ stage: string; rule_ids: string[]; messages: string[]; payload_enc: string }>(
        'SELECT stage, rule_ids, messages, payload_enc FROM {db}.rejections WHERE submission_id = {id:String}',
        { id: 'skeleton-bad-1' },
      );
      return rows.length > 0 ? rows : undefined;
    });
    expect(rejections[0]!.stage).toBe('validate');
    expect(rejections[0]!.rule_ids.some((r) => r.includes('HouseholdSize'))).toBe(true);
    expect(rejections[0]!.messages.length).toBeGreaterThan(0);
    expect(rejections[0]!.payload_enc.startsWith('v1.')).toBe(true);
    expect(await countFinal(p, 'skeleton-bad-1')).toBe(0);

    // The DLQ stream carries the same reason, and the original payload decrypts to the survey.
    const { js } = p.running.infra.bus;
    const dlq = await js.consumers.get('DLQ');
    const msg = await dlq.next({ expires: 2000 });
    expect(msg).not.toBeNull();
    const letter = msg!.json<{ submission_id: string; rule_ids: string[]; payload_enc: string }>();
    expect(letter.submission_id).toBe('skeleton-bad-1');
    const original = Survey.decode(p.running.infra.pii.decrypt(letter.payload_enc));
    expect(original.submissionId).toBe('skeleton-bad-1');
  });

  it('dead-letters an undecodable payload and keeps going', async () => {
    const h = natsHeaders();
    h.set('Content-Type', 'application/json');
    await p.running.infra.bus.js.publish('surveys.v1.raw.kanungu', new TextEncoder().encode('{not json'), { msgID: 'garbage-1', headers: h });
    const rows = await eventually(async () => {
      const r = await p.query<{ stage: string; rule_ids: string[] }>(
        "SELECT stage, rule_ids FROM {db}.rejections WHERE stage = 'decode'",
      );
      return r.length > 0 ? r : undefined;
    });
    expect(rows[0]!.rule_ids).toEqual(['decode.payload']);
    const good = validSurvey(5, 'skeleton-good-after-garbage');
    await p.client.submit(good);
    await eventually(async () => (await countFinal(p, 'skeleton-good-after-garbage')) === 1);
  });

  it('refuses a request without a submission id with INVALID_ARGUMENT and details', async () => {
    const survey = validSurvey(6, 'x');
    survey.submissionId = '';
    const err = await p.client.submit(survey).then(
      () => undefined,
      (e: unknown) => e as ServiceError,
    );
    expect(err?.code).toBe(status.INVALID_ARGUMENT);
    expect(err?.details).toContain('submission_id');
    expect(err?.metadata.get('x-detail-field')).toEqual(['submission_id']);
  });

  it('stores no personal field in clear', async () => {
    const survey = validSurvey(7, 'skeleton-pii-1');
    await p.client.submit(survey);
    await eventually(async () => (await countFinal(p, 'skeleton-pii-1')) === 1);
    const [row] = await p.query<Record<string, unknown>>('SELECT * FROM {db}.surveys FINAL WHERE submission_id = {id:String}', { id: 'skeleton-pii-1' });
    const text = JSON.stringify(row);
    for (const secret of [survey.householdId, survey.village, survey.cluster, survey.deviceId, survey.fieldOfficerId]) {
      expect(secret).toBeTruthy();
      expect(text).not.toContain(secret);
    }
    expect(p.running.infra.pii.decrypt(String(row!['household_id_enc'])).toString()).toBe(survey.householdId);
  });
});
