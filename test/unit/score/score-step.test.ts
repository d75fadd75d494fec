import { bufferCount, concatMap, from, lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSurveys } from '../../../src/domain/generator/index.js';
import { acceptedItem, type AcceptedItem, type Item } from '../../../src/pipeline/types.js';
import { readModelDir } from '../../../src/score/model-dir.js';
import { Scorer, riskOf } from '../../../src/score/scorer.js';
import { ModelHolder, createScoreStep, featurizeStage } from '../../../src/score/score-step.js';

function items(n: number): Item[] {
  return [...generateSurveys({ seed: 9, count: n })].map(
    (s, i): AcceptedItem =>
      acceptedItem({ msg: undefined as never, streamSeq: i, deliveryCount: 1, storedAtMs: 0, version: i }, { meta: s.meta, values: s.values }, { valid: true, hits: [], qualityScore: 1 }, null),
  );
}

describe('score step', () => {
  let champion: Scorer;
  let other: Scorer;
  beforeAll(async () => {
    champion = await Scorer.create(readModelDir('models/baseline'));
    other = await Scorer.create(readModelDir('models/baseline'));
  });
  afterAll(async () => {
    await champion[Symbol.asyncDispose]();
    await other[Symbol.asyncDispose]();
  });

  it('scores featurized batches exactly like scoring the raw surveys (zero-copy or not)', async () => {
    const input = items(700);
    const holder = new ModelHolder(champion);
    // Batches of 300 over slabs of 256 rows: some batches are contiguous, some cross a slab.
    const out = await lastValueFrom(from(input).pipe(featurizeStage(holder, 256), bufferCount(300), concatMap(createScoreStep(holder)), toArray()));
    const reference = await champion.score(input.map((i) => (i as AcceptedItem).record.values));
    const got = out.flat().map((i) => (i as AcceptedItem).prediction!);
    expect(got).toHaveLength(700);
    got.forEach((p, k) => {
      expect(p.probability).toBeCloseTo(reference.rows[k]!.probability, 6);
      expect(p.risk).toBe(riskOf(p.probability));
      expect(p.run.modelVersion).toBe('1.0.0');
    });
  });

  it('re-featurizes records whose rows were made with another model spec (a swap in between)', async () => {
    const input = items(50);
    const holder = new ModelHolder(other);
    const featurized = await lastValueFrom(from(input).pipe(featurizeStage(holder), toArray()));
    holder.swapChampion(champion);
    const scored = await createScoreStep(holder)(featurized);
    const reference = await champion.score(input.map((i) => (i as AcceptedItem).record.values));
    scored.forEach((i, k) => expect((i as AcceptedItem).prediction!.probability).toBeCloseTo(reference.rows[k]!.probability, 6));
  });

  it('fills the featurize and prediction slots of the items it was given, never copies of them', async () => {
    // Copies made by `{ ...item, extra }` each got their own V8 hidden class, and every later read of
    // an item became a megamorphic lookup (the scoring stage fell to ~0.75x raw onnxruntime).
    const input = items(20);
    const holder = new ModelHolder(champion);
    const out = (await lastValueFrom(from(input).pipe(featurizeStage(holder, 8), bufferCount(10), concatMap(createScoreStep(holder)), toArray()))).flat();
    out.forEach((item, k) => expect(item).toBe(input[k]));
    const keys = Object.keys(input[0]!);
    expect(keys).toEqual(['kind', 'env', 'record', 'validation', 'label', 'features', 'prediction', 'shadow']);
    for (const item of out) expect(Object.keys(item)).toEqual(keys);
  });

  it('leaves rejected records alone and passes everything through without a model', async () => {
    const rejected: Item = { kind: 'rejected', env: { msg: undefined as never, streamSeq: 1, deliveryCount: 1, storedAtMs: 0, version: 1 }, stage: 'validate', submissionId: 'x', district: '', ruleIds: ['r'], messages: ['m'] };
    const out = await createScoreStep(new ModelHolder())([rejected, ...items(2)]);
    expect(out).toHaveLength(3);
    expect(out.every((i) => i.kind === 'rejected' || i.prediction === undefined)).toBe(true);
  });
});
