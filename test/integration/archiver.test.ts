/**
 * Issue #7: the archiver writes PII-protected gzip NDJSON batches of the raw stream to
 * `raw/date=YYYY-MM-DD/hour=HH/<batch>.ndjson.gz`, acks only after the object is stored, keeps
 * undecodable payloads encrypted, and applies its retention rule.
 */
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Archiver } from '../../src/archive/archiver.js';
import { generateSurveys } from '../../src/domain/generator/index.js';
import { objectStoreFor } from '../../src/registry/context.js';
import type { ObjectStore } from '../../src/store/index.js';
import { eventually, startTestPipeline, type TestPipeline } from '../harness/pipeline.js';
import { publishJsonSurveys } from '../harness/publish.js';

/** Every archive line under raw/, with the key it came from. */
async function readArchive(store: ObjectStore): Promise<{ key: string; line: Record<string, unknown> }[]> {
  const out: { key: string; line: Record<string, unknown> }[] = [];
  for await (const info of store.list('raw/')) {
    const text = gunzipSync(await store.get(info.key)).toString('utf8');
    for (const l of text.split('\n').filter(Boolean)) out.push({ key: info.key, line: JSON.parse(l) as Record<string, unknown> });
  }
  return out;
}

describe('archiver', () => {
  let p: TestPipeline;
  let store: ObjectStore;
  const surveys = [...generateSurveys({ seed: 41, count: 1200, idPrefix: 'ar-', errors: { rate: 0.05, kinds: ['out_of_range', 'missing_required'] } })];

  beforeAll(async () => {
    p = await startTestPipeline({ 'archive.enabled': true, 'archive.flushIntervalMs': 300, 'archive.maxBatchRows': 500, 'trainer.checkIntervalMs': 3_600_000, 'monitor.enabled': false });
    store = await objectStoreFor(p.running.infra);
    const { js } = p.running.infra.bus;
    await publishJsonSurveys(js, surveys);
    await js.publish('surveys.v1.raw.kanungu', new Uint8Array([0xff, 0x00, 0x13]), { msgID: 'ar-garbage' });
  });
  afterAll(async () => {
    await p?.[Symbol.asyncDispose]();
  });

  it('archives every message once it is stored, then acks it', async () => {
    const t0 = Date.now();
    const lines = await eventually(async () => {
      const all = await readArchive(store);
      return all.length >= surveys.length + 1 ? all : undefined;
    }, 30_000, 200);
    console.info(`archived ${lines.length} records in ${Date.now() - t0} ms`);
    const seqs = new Set(lines.map((l) => l.line['stream_seq']));
    expect(seqs.size).toBe(surveys.length + 1);
    const info = await eventually(async () => {
      const i = await p.running.infra.bus.jsm.consumers.info('SURVEYS', 'archive');
      return i.num_pending === 0 && i.num_ack_pending === 0 ? i : undefined;
    });
    expect(info.ack_floor.stream_seq).toBe(surveys.length + 1);
  });

  it('partitions by stream time and stores batches as gzip NDJSON with original column names', async () => {
    const lines = await readArchive(store);
    for (const { key, line } of lines) {
      const iso = String(line['received_at']);
      expect(key).toMatch(new RegExp(`^raw/date=${iso.slice(0, 10)}/hour=${iso.slice(11, 13)}/\\d{12}-\\d{12}\\.ndjson\\.gz$`));
    }
    const one = lines.find((l) => l.line['submission_id'] === surveys[0]!.meta.submissionId)!.line;
    expect(one).toHaveProperty('Season2VegatableIncome');
    expect(one).toHaveProperty('HHIncome+Consumption+Residues/Day');
    expect(one['District']).toBe(surveys[0]!.values['District']);
  });

  it('never stores personal fields in clear; undecodable payloads are kept encrypted', async () => {
    const lines = await readArchive(store);
    const text = JSON.stringify(lines);
    for (const s of surveys.slice(0, 200)) {
      for (const v of [s.values['HouseHoldID'], s.values['Village'], s.meta.deviceId, s.meta.fieldOfficerId]) {
        if (typeof v === 'string' && v.length > 3) expect(text).not.toContain(`"${v}"`);
      }
    }
    const survey = lines.find((l) => l.line['submission_id'] === surveys[0]!.meta.submissionId)!.line;
    expect(survey['household_key']).toBe(p.running.infra.pii.hash(surveys[0]!.values['HouseHoldID']));
    expect(p.running.infra.pii.decrypt(String(survey['household_id_enc'])).toString()).toBe(surveys[0]!.values['HouseHoldID']);
    const garbage = lines.find((l) => typeof l.line['decode_error'] === 'string')!.line;
    expect([...p.running.infra.pii.decrypt(String(garbage['payload_enc']))]).toEqual([0xff, 0x00, 0x13]);
  });

  it('applies the retention rule to raw/ only', async () => {
    await store.put('models/keep/me.txt', 'x');
    const before = (await readArchive(store)).length;
    expect(before).toBeGreaterThan(0);
    const sweeper = new Archiver({ maxBatchRows: 1, flushIntervalMs: 1000, retentionDays: 30, retentionIntervalMs: 3_600_000 }, {
      consumer: undefined as never,
      store,
      pii: p.running.infra.pii,
      log: p.running.infra.log,
    });
    expect(await sweeper.sweep(new Date(Date.now() + 29 * 86_400_000))).toBe(0);
    expect(await sweeper.sweep(new Date(Date.now() + 31 * 86_400_000))).toBeGreaterThan(0);
    expect(await readArchive(store)).toEqual([]);
    expect(await store.head('models/keep/me.txt')).toBeDefined();
  });
});
