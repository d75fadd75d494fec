/** Synthetic matrices for trainer tests. */
import { createRng, type Dataset } from '../../../src/train/index.js';

/** Uniform features in [-1, 1]; the label comes from `rule(row, noise)` where noise ~ U(-0.5, 0.5). */
export function makeDataset(
  rows: number,
  cols: number,
  seed: number,
  rule: (x: Float32Array, base: number, noise: number) => number,
): Dataset {
  const rng = createRng(seed);
  const X = new Float32Array(rows * cols);
  const y = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) X[r * cols + c] = rng() * 2 - 1;
    y[r] = rule(X, r * cols, rng() - 0.5) > 0 ? 1 : 0;
  }
  return { X, y, rows, cols };
}

/** A nonlinear (ring + interaction) rule, deterministic apart from `noiseScale`. */
export const ringRule =
  (noiseScale: number) =>
  (x: Float32Array, b: number, noise: number): number =>
    0.5 - (x[b]! ** 2 + x[b + 1]! ** 2) + 0.6 * x[b + 2]! * x[b + 3]! + noiseScale * noise;

/** XOR of two signs: invisible to a linear model. */
export const xorRule =
  (noiseScale: number) =>
  (x: Float32Array, b: number, noise: number): number =>
    x[b]! * x[b + 1]! + noiseScale * noise;
