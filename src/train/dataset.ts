/**
 * A labelled, dense, row-major float32 design matrix: the input of every trainer.
 */

/** Features `X[r * cols + c]` with binary labels `y[r]` ∈ {0, 1}. */
export interface Dataset {
  readonly X: Float32Array;
  readonly y: ArrayLike<number>;
  readonly rows: number;
  readonly cols: number;
}

/** Throws a RangeError when shapes disagree or labels are not 0/1. */
export function checkDataset(ds: Dataset): void {
  if (ds.X.length !== ds.rows * ds.cols) {
    throw new RangeError(`X has ${ds.X.length} values, expected rows*cols = ${ds.rows * ds.cols}`);
  }
  if (ds.y.length !== ds.rows)
    throw new RangeError(`y has ${ds.y.length} labels, expected ${ds.rows}`);
  for (let i = 0; i < ds.rows; i++) {
    const v = ds.y[i];
    if (v !== 0 && v !== 1) throw new RangeError(`label y[${i}] = ${String(v)} is not 0 or 1`);
  }
}

/** The rows `idx` of a dataset, copied into a new dataset (in `idx` order). */
export function subsetRows(ds: Dataset, idx: ArrayLike<number>): Dataset {
  const { cols } = ds;
  const X = new Float32Array(idx.length * cols);
  const y = new Uint8Array(idx.length);
  for (let k = 0; k < idx.length; k++) {
    const r = idx[k]!;
    X.set(ds.X.subarray(r * cols, (r + 1) * cols), k * cols);
    y[k] = ds.y[r]!;
  }
  return { X, y, rows: idx.length, cols };
}

/** Logistic function. */
export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}
