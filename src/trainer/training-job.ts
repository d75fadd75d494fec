/**
 * The CPU-bound half of a training cycle, run on a worker thread (see training-thread.ts) so that a
 * trainer sharing a process with workers (`surveystream dev`) never stalls scoring: parse the
 * training rows → time split → train the candidate → score candidate AND champion ONNX through
 * onnxruntime on the same newest held-out window. No I/O: the caller loads the rows and the
 * champion, and writes the registry afterwards.
 */
import type { CardMetrics, ModelCard } from '../model/index.js';
import type { ModelArtifact } from '../score/model-dir.js';
import { trainModel, type TrainModelOptions } from '../train/train-model.js';
import { evaluateArtifact } from './evaluate.js';
import { parseLabelled, splitHoldout } from './training-data.js';

/** Everything a training job needs (structured-cloneable: it crosses to the training thread). */
export interface TrainingJob {
  /** `loadLabelledText` output: JSONEachRow, newest first. */
  readonly rowsText: string;
  readonly holdoutShare: number;
  readonly minTrainingRows: number;
  readonly train: TrainModelOptions;
  /** The champion to evaluate on the same window, when there is one. */
  readonly champion?: { readonly onnx: Uint8Array; readonly card: ModelCard } | undefined;
}

/** The held-out window candidate and champion were both evaluated on. */
export interface HoldoutWindow {
  readonly rows: number;
  readonly from: string | null;
  readonly to: string | null;
}

export type TrainingJobResult =
  | { readonly kind: 'skipped'; readonly rows: number }
  | {
      readonly kind: 'trained';
      readonly trainRows: number;
      readonly trainMs: number;
      readonly holdout: HoldoutWindow;
      readonly candidate: ModelArtifact;
      readonly cand: CardMetrics;
      readonly champ?: CardMetrics | undefined;
    };

export async function runTrainingJob(job: TrainingJob): Promise<TrainingJobResult> {
  const rows = parseLabelled(job.rowsText);
  if (rows.length < job.minTrainingRows) return { kind: 'skipped', rows: rows.length };
  const { train, holdout } = splitHoldout(rows, job.holdoutShare);
  const started = Date.now();
  const trained = trainModel(train, job.train);
  const trainMs = Date.now() - started;
  const candidate: ModelArtifact = { onnx: trained.onnx, card: trained.card };
  const [cand, champ] = await Promise.all([evaluateArtifact(candidate, holdout), job.champion ? evaluateArtifact(job.champion, holdout) : undefined]);
  return {
    kind: 'trained',
    trainRows: train.length,
    trainMs,
    holdout: { rows: holdout.length, from: holdout[0]?.date ?? null, to: holdout[holdout.length - 1]?.date ?? null },
    candidate,
    cand,
    champ,
  };
}
