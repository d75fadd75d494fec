/**
 * Calibrates the drift thresholds (src/monitor/drift.ts) and measures CBPE error on generated data.
 *
 *  - null: W drift-free windows (fresh seeds, no shift) → per statistic the largest value seen, and
 *    the false-alarm rate (windows with any drifted feature / with dataset drift) at the defaults;
 *  - shift: windows with `--sd` × sd added to each `--columns` column → share of windows flagged
 *    and the detection delay (windows until the first flag, 1 = the first shifted window);
 *  - cbpe: |estimated − realised| accuracy and F1 per window and over all drift-free rows.
 *
 *   npx tsx bench/drift-calibration.ts [--windows 400 --rows 500 --sd 0.5 --columns Assets,TimeToOPD]
 */
import { parseArgs } from 'node:util';
import { generateSurveys } from '../src/domain/generator/index.js';
import { deriveLabel } from '../src/domain/labels.js';
import type { SurveyValues } from '../src/domain/fields.js';
import { readModelDir } from '../src/score/model-dir.js';
import { Scorer } from '../src/score/scorer.js';
import { countFeatures, countNumeric } from '../src/monitor/feature-bins.js';
import { DEFAULT_DRIFT_THRESHOLDS, driftedFeatures, windowDrift, type DriftStat } from '../src/monitor/drift.js';
import { binProbabilities, estimatedPerformance, realisedPerformance } from '../src/monitor/performance.js';

const { values: args } = parseArgs({
  options: {
    windows: { type: 'string', default: '400' },
    rows: { type: 'string', default: '500' },
    sd: { type: 'string', default: '0.5' },
    columns: { type: 'string', default: 'Assets,CasualLabour,AgricultureLand,TimeToOPD,daily_meals' },
    shiftWindows: { type: 'string', default: '20' },
    model: { type: 'string', default: 'models/baseline' },
  },
});
const W = Number(args.windows);
const N = Number(args.rows);
const scorer = await Scorer.create(readModelDir(args.model));
const card = scorer.card;
const t = DEFAULT_DRIFT_THRESHOLDS;

interface WindowResult { stats: DriftStat[]; accR: number; accE: number; f1R: number; f1E: number; p: Float32Array; y: (number | null)[] }

async function evaluate(rows: SurveyValues[]): Promise<WindowResult> {
  const scored = await scorer.score(rows);
  const p = Float32Array.from(scored.rows, (r) => r.probability);
  const y = rows.map((v) => { const l = deriveLabel(v); return l ? (l.isVulnerable ? 1 : 0) : null; });
  const stats = windowDrift(card.reference.features, countFeatures(card, rows), t, { ref: card.reference.score, counts: countNumeric(card.reference.score, p) });
  const bins = binProbabilities(p, y, card.metrics.threshold);
  const r = realisedPerformance(bins)!;
  const e = estimatedPerformance(bins)!;
  return { stats, accR: r.accuracy, accE: e.accuracy, f1R: r.f1, f1E: e.f1, p, y };
}

function windowsOf(seed: number, count: number, shift?: { column: string; sd: number }): SurveyValues[][] {
  const all = [...generateSurveys({ seed, count: count * N, ...(shift ? { drift: { shift: [shift] } } : {}) })].map((s) => s.values);
  return Array.from({ length: count }, (_, i) => all.slice(i * N, (i + 1) * N));
}

const maxBy = new Map<string, number>();
let anyAlarm = 0;
let datasetAlarm = 0;
let scoreAlarm = 0;
const accErr: number[] = [];
const f1Err: number[] = [];
const pooledP: number[] = [];
const pooledY: (number | null)[] = [];
for (const [i, rows] of windowsOf(9001, W).entries()) {
  const r = await evaluate(rows);
  for (const s of r.stats) {
    const key = `${s.kind}:${s.statistic}`;
    maxBy.set(key, Math.max(maxBy.get(key) ?? 0, s.value));
  }
  if (driftedFeatures(r.stats).length > 0) anyAlarm++;
  if (r.stats.some((s) => s.kind === 'dataset' && s.drifted)) datasetAlarm++;
  if (r.stats.some((s) => s.kind === 'score' && s.drifted)) scoreAlarm++;
  accErr.push(Math.abs(r.accE - r.accR));
  f1Err.push(Math.abs(r.f1E - r.f1R));
  pooledP.push(...r.p);
  pooledY.push(...r.y);
  if (i % 50 === 49) process.stderr.write(`null windows: ${i + 1}/${W}\n`);
}
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const pooled = binProbabilities(pooledP, pooledY, card.metrics.threshold);
const pr = realisedPerformance(pooled)!;
const pe = estimatedPerformance(pooled)!;
console.log(`model ${card.name}@${card.version}, windows of ${N} rows, thresholds ${JSON.stringify(t)}`);
console.log(`drift-free: ${W} windows; windows with a drifted feature ${anyAlarm} (${((100 * anyAlarm) / W).toFixed(2)} %), dataset drift ${datasetAlarm}, score drift ${scoreAlarm}`);
console.log('largest value per statistic over drift-free windows:');
for (const [k, v] of [...maxBy].sort()) console.log(`  ${k.padEnd(36)} ${v.toFixed(4)}`);
console.log(`CBPE accuracy |est − real| per window: mean ${(100 * mean(accErr)).toFixed(2)} pp, max ${(100 * Math.max(...accErr)).toFixed(2)} pp; F1 mean ${(100 * mean(f1Err)).toFixed(2)} pp`);
console.log(`CBPE pooled (${pooledP.length} rows): accuracy realised ${pr.accuracy.toFixed(4)} estimated ${pe.accuracy.toFixed(4)}; F1 realised ${pr.f1.toFixed(4)} estimated ${pe.f1.toFixed(4)}`);

const S = Number(args.shiftWindows);
for (const column of args.columns.split(',')) {
  const windows = windowsOf(777, S, { column, sd: Number(args.sd) });
  let flagged = 0;
  let first = 0;
  const who = new Map<string, number>();
  for (const [i, rows] of windows.entries()) {
    const r = await evaluate(rows);
    const d = driftedFeatures(r.stats);
    for (const f of d) who.set(f, (who.get(f) ?? 0) + 1);
    if (d.length > 0) { flagged++; if (!first) first = i + 1; }
  }
  const top = [...who].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([f, n]) => `${f}×${n}`).join(' ');
  console.log(`shift ${args.sd} sd of ${column}: ${flagged}/${S} windows flagged, detection delay ${first || 'never'} window(s); flagged features: ${top}`);
}
await scorer[Symbol.asyncDispose]();
