import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  decodeModel,
  exportGbdtToOnnx,
  exportLogisticToOnnx,
  exportToOnnx,
} from '../../../src/model/index.js';
import { predictProba, type Dataset, type TrainedModel } from '../../../src/train/index.js';
import { trainedFixture } from './fixture.js';

let fx: ReturnType<typeof trainedFixture>;

beforeAll(() => {
  fx = trainedFixture();
});

async function runOnnx(bytes: Uint8Array, d: Dataset) {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const out = await session.run({ features: new ort.Tensor('float32', d.X, [d.rows, d.cols]) });
    return {
      label: out['label']!.data as BigInt64Array,
      probabilities: out['probabilities']!.data as Float32Array,
      dims: out['probabilities']!.dims,
    };
  } finally {
    await session.release();
  }
}

async function expectParity(model: TrainedModel, bytes: Uint8Array, d: Dataset): Promise<void> {
  const ref = predictProba(model, d.X, d.rows, d.cols);
  const got = await runOnnx(bytes, d);
  expect(got.dims).toEqual([d.rows, 2]);
  let maxDiff = 0;
  for (let i = 0; i < d.rows; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(got.probabilities[2 * i + 1]! - ref[i]!));
    expect(got.probabilities[2 * i]! + got.probabilities[2 * i + 1]!).toBeCloseTo(1, 5);
    // the label is only ambiguous for scores within float error of 0.5
    if (Math.abs(ref[i]! - 0.5) > 1e-5) expect(Number(got.label[i])).toBe(ref[i]! > 0.5 ? 1 : 0);
  }
  expect(maxDiff).toBeLessThan(1e-5);
}

describe('ONNX export', () => {
  it('GBDT TreeEnsembleClassifier matches predictProba within 1e-5', async () => {
    expect(fx.test.rows).toBeGreaterThanOrEqual(2000);
    await expectParity(fx.gbdt, exportGbdtToOnnx(fx.gbdt, fx.names), fx.test);
  });

  it('logistic Scaler + LinearClassifier matches predictProba within 1e-5', async () => {
    await expectParity(fx.logistic, exportLogisticToOnnx(fx.logistic, fx.names), fx.test);
  });

  it('writes IR 8, opset 15, ai.onnx.ml 3 and the feature names', () => {
    const m = decodeModel(exportGbdtToOnnx(fx.gbdt, fx.names, { name: 'vuln', version: '1.2.0' }));
    expect(Number(m.irVersion)).toBe(8);
    expect(m.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([
      ['', 15],
      ['ai.onnx.ml', 3],
    ]);
    expect((m.graph?.input ?? []).map((i) => i.name)).toEqual(['features']);
    expect((m.graph?.output ?? []).map((o) => o.name)).toEqual(['label', 'probabilities']);
    const meta = new Map(m.metadataProps.map((p) => [p.key ?? '', p.value ?? '']));
    expect(JSON.parse(meta.get('feature_names') ?? '')).toEqual(fx.names);
    expect([meta.get('model_type'), meta.get('name'), meta.get('version')]).toEqual([
      'gbdt',
      'vuln',
      '1.2.0',
    ]);
  });

  it('sends NaN along the learned default direction, like predictProba', async () => {
    const d: Dataset = {
      ...fx.test,
      X: fx.test.X.slice(0, 200 * fx.test.cols),
      rows: 200,
      y: fx.test.y,
    };
    for (let i = 0; i < d.X.length; i += 7) d.X[i] = Number.NaN;
    await expectParity(fx.gbdt, exportGbdtToOnnx(fx.gbdt, fx.names), {
      ...d,
      y: new Uint8Array(200),
    });
  });

  it('dispatches on the model kind', () => {
    const meta = (b: Uint8Array): string | null | undefined =>
      decodeModel(b).metadataProps.find((p) => p.key === 'model_type')?.value;
    expect(meta(exportToOnnx(fx.gbdt, fx.names))).toBe('gbdt');
    expect(meta(exportToOnnx(fx.logistic, fx.names))).toBe('logistic');
  });

  it('rejects a feature-name list of the wrong length', () => {
    expect(() => exportGbdtToOnnx(fx.gbdt, ['a'])).toThrow(RangeError);
    expect(() => exportLogisticToOnnx(fx.logistic, ['a'])).toThrow(RangeError);
  });
});
