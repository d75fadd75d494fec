/**
 * One training cycle: training set from ClickHouse → time split → train a candidate → register it
 * → score candidate and champion ONNX on the same newest held-out window → promote (or shadow)
 * only if the candidate wins by the margin, else reject. Every step is a registry row and an event.
 */
import type { Config } from '../config.js';
import type { CardMetrics } from '../model/index.js';
import type { ModelArtifact } from '../score/model-dir.js';
import type { ClickHouse } from '../sink/clickhouse.js';
import type { Logger } from '../telemetry/log.js';
import { trainModel } from '../train/train-model.js';
import type { ModelRegistry } from '../registry/registry.js';
import type { Trigger } from '../registry/types.js';
import { decide, evaluateArtifact } from './evaluate.js';
import { loadLabelled, splitHoldout, type TimedSurvey } from './training-data.js';

/** What a cycle needs. */
export interface CycleDeps {
  readonly ch: ClickHouse;
  readonly registry: ModelRegistry;
  readonly cfg: Readonly<Config['trainer']>;
  readonly log: Logger;
  /** Re-checks the lease right before a promotion; false aborts it. */
  readonly stillLeader: () => Promise<boolean>;
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

function trainCandidate(d: CycleDeps, rows: TimedSurvey[]): ModelArtifact {
  const { cfg } = d;
  const version = newVersion();
  const gbdt = { nEstimators: cfg.trees, maxDepth: cfg.depth, learningRate: cfg.learningRate };
  const trained = trainModel(rows, { name: cfg.modelName, version, algo: cfg.algo, split: 'time', gbdt });
  return { onnx: trained.onnx, card: trained.card };
}

async function evaluateBoth(d: CycleDeps, candidate: ModelArtifact, holdout: TimedSurvey[]): Promise<{ evaluation: Record<string, unknown>; cand: CardMetrics; champ?: CardMetrics; championVersion?: string }> {
  const pointer = await d.registry.active();
  const champion = pointer ? await d.registry.loadArtifact(pointer.version) : undefined;
  const [cand, champ] = await Promise.all([evaluateArtifact(candidate, holdout), champion ? evaluateArtifact(champion, holdout) : undefined]);
  const evaluation = {
    metric: d.cfg.promotionMetric,
    margin: d.cfg.promotionMargin,
    holdout: { rows: holdout.length, from: holdout[0]?.date ?? null, to: holdout[holdout.length - 1]?.date ?? null },
    candidate: { version: candidate.card.version, ...summary(cand) },
    champion: champ && pointer ? { version: pointer.version, ...summary(champ) } : null,
  };
  return { evaluation, cand, ...(champ ? { champ } : {}), ...(pointer ? { championVersion: pointer.version } : {}) };
}

/** Runs one cycle; the caller holds the trainer lease. */
export async function runTrainingCycle(d: CycleDeps, trigger: Trigger, why: string): Promise<Decision> {
  const { cfg, registry, log } = d;
  const rows = await loadLabelled(d.ch, cfg.maxTrainingRows);
  if (rows.length < cfg.minTrainingRows) {
    return { outcome: 'skipped', trigger, reason: `${rows.length} labelled surveys, fewer than the ${cfg.minTrainingRows} needed (${why})` };
  }
  const { train, holdout } = splitHoldout(rows, cfg.holdoutShare);
  const started = Date.now();
  const candidate = trainCandidate(d, train);
  const version = candidate.card.version;
  log.info({ version, rows: train.length, ms: Date.now() - started, trigger }, 'candidate trained');
  await registry.register(candidate, trigger, `trained on ${train.length} surveys (${why})`);
  const { evaluation, cand, champ, championVersion } = await evaluateBoth(d, candidate, holdout);
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
