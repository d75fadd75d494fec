import { describe, expect, it } from 'vitest';
import {
  createPredictor,
  createRng,
  featureImportances,
  predictProba,
  rocAuc,
  trainLogistic,
} from '../../../src/train/index.js';

function logisticData(rows: number, seed: number, w: number[], b: number) {
  const rng = createRng(seed);
  const cols = w.length;
  const X = new Float32Array(rows * cols);
  const y = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    let z = b;
    for (let c = 0; c < cols; c++) {
      // offset and scale differ per column: the trainer standardises internally
      const u = rng() * 2 - 1;
      X[r * cols + c] = 1000 * c + (c + 1) * u;
      z += w[c]! * u;
    }
    y[r] = rng() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return { X, y, rows, cols };
}

describe('trainLogistic', () => {
  it('recovers the generating coefficients on standardised inputs', () => {
    const w = [1.5, -2, 0, 0.5];
    const m = trainLogistic(logisticData(40_000, 1, w, -0.3), { l2: 0 });
    expect(m.converged).toBe(true);
    // u ~ U(-1, 1) has sd 1/√3, so a standardised coefficient is w/√3
    m.coef.forEach((c, i) => expect(c).toBeCloseTo(w[i]! / Math.sqrt(3), 1));
    expect(m.intercept).toBeCloseTo(-0.3, 1);
  });

  it('shrinks coefficients with a larger L2 penalty', () => {
    const d = logisticData(5000, 2, [2, -1], 0);
    const small = trainLogistic(d, { l2: 1e-6 });
    const big = trainLogistic(d, { l2: 1 });
    expect(Math.abs(big.coef[0]!)).toBeLessThan(Math.abs(small.coef[0]!));
  });

  it('scores well and ranks |coef| importances', () => {
    const d = logisticData(5000, 3, [3, 0, -1], 0);
    const m = trainLogistic(d);
    expect(rocAuc(d.y, predictProba(m, d.X, d.rows, d.cols))).toBeGreaterThan(0.8);
    expect(featureImportances(m, ['a', 'b', 'c']).map((i) => i.name)).toEqual(['a', 'c', 'b']);
  });

  it('binds to a predictor with the same scores', () => {
    const d = logisticData(500, 5, [1, -1], 0);
    const m = trainLogistic(d);
    expect(createPredictor(m).predictProba(d.X, d.rows, d.cols)).toEqual(
      predictProba(m, d.X, d.rows, d.cols),
    );
  });

  it('is deterministic', () => {
    const d = logisticData(2000, 4, [1, 1], 0);
    expect(trainLogistic(d)).toEqual(trainLogistic(d));
  });
});
