/**
 * One training cycle: training set from ClickHouse → time split → train a candidate → register it
 * → score candidate and champion ONNX on the same newest held-out window → promote (or shadow)
 * only if the candidate wins by the margin, else reject. Every step is a registry row and an event.
 * The CPU-bound part (split, train, evaluate) runs as a {@link TrainingJob} on its own thread; this
 * module does the I/O around it.
 */
import type { Config } from '../config.js';
import type { CardMetrics } from '../model/index.js';
import type { ClickHouse } from '../sink/clickhouse.js';
import type { Logger } from '../telemetry/log.js';
import type { ModelRegistry } from '../registry/registry.js';
import type { Trigger } from '../registry/types.js';
import { decide } from './evaluate.js';
import { loadLabelledText } from './training-data.js';
import type { TrainingJob, TrainingJobResult } from './training-job.js';
import { runTrainingThread } from './training-thread.js';

/** What a cycle needs. */
export interface CycleDeps {
  readonly ch: ClickHouse;
  readonly registry: ModelRegistry;
  readonly cfg: Readonly<Config['trainer']>;
  readonly log: Logger;
  /** Re-checks the lease right before a promotion; false aborts it. */
  readonly stillLeader: () => Promise<boolean>;
  /** Runs the CPU-bound job. @default a worker thread ({@link runTrainingThread}) */
  readonly runJob?: (job: TrainingJob) => Promise<TrainingJobResult>;
}

/** How a cycle ended. */
export interface Decision {
  readonly outcome: 'promoted' | 'shadowed' | 'rejected' | 'skipped';
  readonly trigger: Trigger;
  readonly reason: string;
  readonly version?: string;
  readonly champion?: string;
  readonly evaluation?: Record<string, unknown>;
}

/** A sortable, unique-enough version: UTC `YYYYMMDD-HHMMSS-mmm`. */
export function newVersion(now = new Date()): string {
  const iso = now.toISOString();
  return `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}-${iso.slice(20, 23)}`;
}

function summary(m: CardMetrics): Record<string, number | null> {
  return { n: m.n, positives: m.positives, roc_auc: m.roc_auc, pr_auc: m.pr_auc, f1: m.f1, accuracy: m.accuracy, brier: m.brier, log_loss: m.log_loss };
}

/** Runs one cycle; the caller holds the trainer lease. */
export async function runTrainingCycle(d: CycleDeps, trigger: Trigger, why: string): Promise<Decision> {
  const { cfg, registry, log } = d;
  const rowsText = await loadLabelledText(d.ch, cfg.maxTrainingRows);
  const pointer = await registry.active();
  const champion = pointer ? await registry.loadArtifact(pointer.version) : undefined;
  const job: TrainingJob = {
    rowsText,
    holdoutShare: cfg.holdoutShare,
    minTrainingRows: cfg.minTrainingRows,
    train: { name: cfg.modelName, version: newVersion(), algo: cfg.algo, split: 'time', gbdt: { nEstimators: cfg.trees, maxDepth: cfg.depth, learningRate: cfg.learningRate } },
    champion,
  };
  const done = await (d.runJob ?? runTrainingThread)(job);
  if (done.kind === 'skipped') {
    return { outcome: 'skipped', trigger, reason: `${done.rows} labelled surveys, fewer than the ${cfg.minTrainingRows} needed (${why})` };
  }
  const { candidate, cand, champ } = done;
  const version = candidate.card.version;
  log.info({ version, rows: done.trainRows, ms: done.trainMs, trigger }, 'candidate trained');
  await registry.register(candidate, trigger, `trained on ${done.trainRows} surveys (${why})`);
  const championVersion = champ && pointer ? pointer.version : undefined;
  const evaluation = {
    metric: cfg.promotionMetric,
    margin: cfg.promotionMargin,
    holdout: done.holdout,
    candidate: { version, ...summary(cand) },
    champion: champ && pointer ? { version: pointer.version, ...summary(champ) } : null,
  };
  const verdict = decide(cfg.promotionMetric, cfg.promotionMargin, cand, champ);
  await registry.record({ version, status: 'candidate', event: 'evaluated', reason: verdict.reason, trigger, metrics: evaluation });
  const base = { trigger, version, evaluation, ...(championVersion ? { champion: championVersion } : {}) };
  if (!verdict.promote) {
    await registry.reject(version, verdict.reason, trigger, evaluation);
    return { ...base, outcome: 'rejected', reason: verdict.reason };
  }
  if (!(await d.stillLeader())) {
    const reason = `trainer lease lost before promotion; ${verdict.reason}`;
    await registry.reject(version, reason, trigger, evaluation);
    return { ...base, outcome: 'rejected', reason };
  }
  if (cfg.promoteTo === 'shadow') {
    await registry.shadow(version, verdict.reason, trigger, evaluation);
    return { ...base, outcome: 'shadowed', reason: verdict.reason };
  }
  await registry.promote(version, verdict.reason, trigger, evaluation);
  return { ...base, outcome: 'promoted', reason: verdict.reason };
}
