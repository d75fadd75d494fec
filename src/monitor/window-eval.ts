/**
 * Evaluates one closed window: featurize its surveys into `feature_windows`, read the merged bin
 * counts back, compute drift against the card (features, score, dataset), compute realised and
 * estimated performance per model and role, and store `drift_metrics`, `model_performance` and the
 * `monitor_windows` cursor row.
 */
import type { ModelCard } from '../model/index.js';
import type { ClickHouse } from '../sink/clickhouse.js';
import { driftedFeatures, windowDrift, type DriftStat, type DriftThresholds } from './drift.js';
import { countFeatures } from './feature-bins.js';
import { estimatedPerformance, realisedPerformance } from './performance.js';
import {
  hasFeatureCounts,
  insertDrift,
  insertFeatureCounts,
  insertPerformance,
  insertWindow,
  probabilityBins,
  readFeatureCounts,
  scoreCounts,
  windowSurveys,
  type ModelPerformance,
} from './window-data.js';
import type { MonitorWindow } from './windows.js';

/** What one window produced. */
export interface WindowResult {
  readonly window: MonitorWindow;
  readonly drift: readonly DriftStat[];
  readonly drifted: readonly string[];
  readonly performance: readonly ModelPerformance[];
}

async function driftOf(ch: ClickHouse, card: ModelCard, w: MonitorWindow, t: DriftThresholds): Promise<DriftStat[]> {
  if (!(await hasFeatureCounts(ch, w, card.version))) {
    await insertFeatureCounts(ch, w, card.version, countFeatures(card, await windowSurveys(ch, card, w)));
  }
  const merged = await readFeatureCounts(ch, w, card.version, card.reference.features);
  const score = await scoreCounts(ch, w, card.version, card.reference.score);
  const stats = windowDrift(card.reference.features, merged, t, score && { ref: card.reference.score, counts: score });
  await insertDrift(ch, w, card.version, stats);
  return stats;
}

async function performanceOf(ch: ClickHouse, w: MonitorWindow): Promise<ModelPerformance[]> {
  const perf: ModelPerformance[] = [];
  for (const [key, bins] of await probabilityBins(ch, w)) {
    const [model_version = '', role = ''] = key.split('\u0000');
    for (const row of [realisedPerformance(bins), estimatedPerformance(bins)]) {
      if (row) perf.push({ ...row, model_version, role });
    }
  }
  await insertPerformance(ch, w, perf);
  return perf;
}

/** Evaluates and stores one window (drift only when a card is given). */
export async function evaluateWindow(ch: ClickHouse, card: ModelCard | undefined, w: MonitorWindow, t: DriftThresholds): Promise<WindowResult> {
  const drift = card ? await driftOf(ch, card, w, t) : [];
  const performance = await performanceOf(ch, w);
  const drifted = driftedFeatures(drift);
  await insertWindow(ch, w, card?.version ?? 'none', drifted);
  return { window: w, drift, drifted, performance };
}
