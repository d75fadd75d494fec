import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildModelCard,
  exportGbdtToOnnx,
  numericReference,
  parseModelCard,
  referenceBin,
  UNKNOWN_CATEGORY,
  type ModelCard,
} from '../../../src/model/index.js';
import { evaluate, predictProba } from '../../../src/train/index.js';
import { trainedFixture } from './fixture.js';

let fx: ReturnType<typeof trainedFixture>;
let card: ModelCard;
let onnx: Uint8Array;

beforeAll(() => {
  fx = trainedFixture(3000);
  onnx = exportGbdtToOnnx(fx.gbdt, fx.names);
  const scores = predictProba(fx.gbdt, fx.test.X, fx.test.rows, fx.test.cols);
  card = buildModelCard({
    name: 'vulnerability',
    version: '1.0.0',
    model: fx.gbdt,
    spec: fx.spec,
    onnx,
    trainingWindow: { from: '2025-01-06', to: '2025-03-01' },
    rows: { train: fx.train.rows, valid: 0, test: fx.test.rows },
    testMetrics: evaluate(fx.test.y, scores),
    reference: { source: 'test', X: fx.test.X, rows: fx.test.rows, scores },
    createdAt: new Date('2025-03-02T10:00:00Z'),
  });
});

describe('model card', () => {
  it('records the spec, metrics, hyperparameters and the ONNX digest', () => {
    expect(card.model_type).toBe('gbdt');
    expect(card.feature_spec).toEqual(fx.spec);
    expect(card.feature_names).toEqual(fx.names);
    expect(card.onnx.sha256).toBe(createHash('sha256').update(onnx).digest('hex'));
    expect(card.onnx).toMatchObject({ bytes: onnx.length, ir_version: 8, opset: 15, ml_opset: 3 });
    expect(card.metrics.roc_auc).toBeGreaterThan(0.7);
    expect(card.metrics.calibration).toHaveLength(10);
    expect(card.hyperparameters).toMatchObject({ nEstimators: 120, maxDepth: 6 });
    expect(card.feature_importances).toHaveLength(fx.names.length);
    expect(card.created_at).toBe('2025-03-02T10:00:00.000Z');
  });

  it('has a reference distribution for every spec feature and the score', () => {
    const specNames = [...fx.spec.numeric, ...fx.spec.categorical, ...fx.spec.binary].map(
      (f) => f.name,
    );
    expect(card.reference.features.map((r) => r.name)).toEqual(specNames);
    for (const r of card.reference.features) {
      expect(r.proportions.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      if (r.kind === 'numeric') {
        expect(r.edges.length).toBeLessThanOrEqual(11);
        expect(r.sample.length).toBe(Math.min(1000, fx.test.rows));
      }
    }
    const district = card.reference.features.find((r) => r.name === 'District')!;
    expect(district.kind === 'categorical' && district.categories).toEqual([
      'Kanungu',
      'Mitooma',
      'Rubanda',
      'Rukungiri',
      UNKNOWN_CATEGORY,
    ]);
    expect(card.reference.score.count).toBe(fx.test.rows);
    expect(card.reference.score.min).toBeGreaterThanOrEqual(0);
    expect(card.reference.score.max).toBeLessThanOrEqual(1);
  });

  it('round-trips through JSON and validates', () => {
    const back = parseModelCard(JSON.parse(JSON.stringify(card)));
    expect(back).toEqual(card);
    expect(() => parseModelCard({ ...card, onnx: { ...card.onnx, sha256: 'xyz' } })).toThrow();
  });

  it('computes decile edges and proportions', () => {
    const r = numericReference(
      'x',
      Array.from({ length: 101 }, (_, i) => i),
    );
    expect(r.edges).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(r.proportions[0]).toBeCloseTo(11 / 101, 12);
    expect(r.proportions[9]).toBeCloseTo(10 / 101, 12);
    expect(r.mean).toBe(50);
    expect(referenceBin(r.edges, -5)).toBe(0);
    expect(referenceBin(r.edges, 10)).toBe(0);
    expect(referenceBin(r.edges, 10.5)).toBe(1);
    expect(referenceBin(r.edges, 1e9)).toBe(9);
  });

  it('merges tied quantile edges', () => {
    const r = numericReference('zeros', [0, 0, 0, 0, 0, 0, 0, 0, 1, 2]);
    expect(r.edges[0]).toBe(0);
    expect(new Set(r.edges).size).toBe(r.edges.length);
    expect(r.proportions[0]).toBeCloseTo(0.8, 12);
  });
});
