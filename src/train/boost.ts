/**
 * The boosting loop of the GBDT: binning, per-tree gradients, sampling, tree growth, score
 * updates and early stopping. `trainGbdt` (gbdt.ts) wraps it with parameter handling.
 */
import { binMatrix, fitBins, valueBins, type BinMapper } from './binning.js';
import { sigmoid, type Dataset } from './dataset.js';
import type { GbdtParams } from './gbdt-params.js';
import { HistPool, histLayout, slotMatrix } from './histogram.js';
import { createRng, sampleIndices, type Rng } from './random.js';
import { growTree, treeValueBinned, type GrowContext, type GrownTree, type Tree } from './tree.js';

/** Binned data and running raw scores of a training run. */
interface Run {
  readonly mapper: BinMapper;
  readonly bins: Uint8Array;
  readonly y: ArrayLike<number>;
  readonly n: number;
  readonly cols: number;
  readonly raw: Float64Array;
  readonly valid: { bins: Uint8Array; y: ArrayLike<number>; n: number; raw: Float64Array } | null;
}

function logLossRaw(raw: Float64Array, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < raw.length; i++) {
    const z = raw[i]!;
    // log(1 + e^z) − y z, computed stably
    s += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - y[i]! * z;
  }
  return s / raw.length;
}

function prepare(train: Dataset, valid: Dataset | null, p: GbdtParams, base: number): Run {
  const mapper = fitBins(train.X, train.rows, train.cols, p.maxBins, 200_000, p.seed);
  const bins = binMatrix(mapper, train.X, train.rows, train.cols);
  const v = valid
    ? {
        bins: binMatrix(mapper, valid.X, valid.rows, valid.cols),
        y: valid.y,
        n: valid.rows,
        raw: new Float64Array(valid.rows).fill(base),
      }
    : null;
  return {
    mapper,
    bins,
    y: train.y,
    n: train.rows,
    cols: train.cols,
    raw: new Float64Array(train.rows).fill(base),
    valid: v,
  };
}

function gradients(run: Run, grad: Float64Array, hess: Float64Array): void {
  for (let i = 0; i < run.n; i++) {
    const pr = sigmoid(run.raw[i]!);
    grad[i] = pr - run.y[i]!;
    hess[i] = Math.max(pr * (1 - pr), 1e-16);
  }
}

function pickFeatures(cols: number, colsample: number, rng: Rng): Int32Array {
  if (colsample >= 1) return Int32Array.from({ length: cols }, (_, i) => i);
  const k = Math.max(1, Math.round(colsample * cols));
  return Int32Array.from(sampleIndices(cols, k, rng));
}

function pickRows(n: number, subsample: number, rng: Rng): Uint32Array {
  if (subsample < 1) return sampleIndices(n, Math.max(1, Math.round(subsample * n)), rng);
  const all = new Uint32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  return all;
}

/** Adds a new tree's output to the training raw scores: sampled rows by leaf range, the rest by a walk. */
function updateTrainScores(
  run: Run,
  grown: GrownTree,
  idx: Uint32Array,
  inSample: Uint8Array,
): void {
  for (const leaf of grown.leaves) {
    for (let p = leaf.start; p < leaf.end; p++) {
      const i = idx[p]!;
      run.raw[i] = run.raw[i]! + leaf.value;
    }
  }
  if (idx.length === run.n) return;
  inSample.fill(0);
  for (const i of idx) inSample[i] = 1;
  for (let i = 0; i < run.n; i++) {
    if (inSample[i] === 0)
      run.raw[i] = run.raw[i]! + treeValueBinned(grown.tree, run.bins, run.cols, i);
  }
}

/** Adds a new tree's output to the validation raw scores and returns the validation log loss. */
function updateValidScores(run: Run, tree: Tree): number {
  const v = run.valid!;
  for (let i = 0; i < v.n; i++) v.raw[i] = v.raw[i]! + treeValueBinned(tree, v.bins, run.cols, i);
  return logLossRaw(v.raw, v.y);
}

/** Result of the boosting loop. */
export interface BoostResult {
  /** Trees kept: up to and including the best validation iteration when early stopping ran. */
  readonly trees: Tree[];
  readonly validLoss: number[];
  readonly stoppedEarly: boolean;
}

function growContext(run: Run, p: GbdtParams, grad: Float64Array, hess: Float64Array) {
  const layout = histLayout(run.mapper, run.cols);
  return {
    bins: run.bins,
    slots: slotMatrix(layout, run.bins, run.cols),
    cols: run.cols,
    mapper: run.mapper,
    valueBinCounts: Int32Array.from({ length: run.cols }, (_, f) => valueBins(run.mapper, f)),
    layout,
    pool: new HistPool(layout.size),
    grad,
    hess,
    params: p,
    scratch: new Uint32Array(run.n),
  };
}

/** Runs boosting from the constant raw score `base`. */
export function boost(
  fit: Dataset,
  valid: Dataset | null,
  p: GbdtParams,
  base: number,
): BoostResult {
  const run = prepare(fit, valid, p, base);
  const rng = createRng(p.seed);
  const grad = new Float64Array(run.n);
  const hess = new Float64Array(run.n);
  const shared = growContext(run, p, grad, hess);
  const inSample = new Uint8Array(run.n);
  const trees: Tree[] = [];
  const validLoss: number[] = [];
  let best = { loss: Infinity, iter: -1 };
  for (let it = 0; it < p.nEstimators; it++) {
    gradients(run, grad, hess);
    const idx = pickRows(run.n, p.subsample, rng);
    const feats = pickFeatures(run.cols, p.colsample, rng);
    const ctx: GrowContext = { ...shared, idx, feats, allFeats: feats.length === run.cols };
    const grown = growTree(ctx);
    trees.push(grown.tree);
    updateTrainScores(run, grown, idx, inSample);
    if (!run.valid) continue;
    const loss = updateValidScores(run, grown.tree);
    validLoss.push(loss);
    if (loss < best.loss - 1e-9) best = { loss, iter: it };
    else if (p.earlyStoppingRounds > 0 && it - best.iter >= p.earlyStoppingRounds) break;
  }
  const early = run.valid !== null && p.earlyStoppingRounds > 0;
  const kept = early ? trees.slice(0, best.iter + 1) : trees;
  return { trees: kept, validLoss, stoppedEarly: kept.length < p.nEstimators };
}
