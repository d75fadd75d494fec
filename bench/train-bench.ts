/**
 * Training benchmark: fixed-size GBDT (no early stopping) and logistic regression on featurized
 * synthetic surveys.
 *
 * Run: npx tsx bench/train-bench.ts [rows=100000] [trees=200] [depth=6]
 * Prints rows, cols, trees, seconds and peak RSS. Data generation and featurization are timed
 * separately and not counted as training time.
 */
import { generateSurveys } from '../src/domain/generator/index.js';
import { deriveLabel } from '../src/domain/labels.js';
import { featurizeBatch, fitSpec, honestV1Template } from '../src/featurize/index.js';
import { trainGbdt, trainLogistic, type Dataset } from '../src/train/index.js';

const rows = Number(process.argv[2] ?? 100_000);
const trees = Number(process.argv[3] ?? 200);
const depth = Number(process.argv[4] ?? 6);

function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(2);
}

function peakRssMb(): string {
  // resourceUsage().maxRSS is in kilobytes on Linux
  return (process.resourceUsage().maxRSS / 1024).toFixed(0);
}

function dataset(): Dataset {
  let t = performance.now();
  const values = [];
  const labels = [];
  for (const s of generateSurveys({ seed: 7, count: rows })) {
    values.push(s.values);
    labels.push(deriveLabel(s.values)?.isVulnerable ? 1 : 0);
  }
  console.log(`generate   ${seconds(t)} s`);
  t = performance.now();
  const m = featurizeBatch(fitSpec(honestV1Template(), values), values);
  console.log(`featurize  ${seconds(t)} s`);
  return { X: m.data, y: Uint8Array.from(labels), rows: m.rows, cols: m.cols };
}

function main(): void {
  const d = dataset();
  let t = performance.now();
  const gbdt = trainGbdt(d, { nEstimators: trees, maxDepth: depth, earlyStoppingRounds: 0 });
  const gbdtSeconds = seconds(t);
  t = performance.now();
  const lr = trainLogistic(d);
  const lrSeconds = seconds(t);
  console.table([
    {
      model: 'gbdt',
      rows: d.rows,
      cols: d.cols,
      trees: gbdt.trees.length,
      depth,
      seconds: Number(gbdtSeconds),
    },
    {
      model: 'logistic',
      rows: d.rows,
      cols: d.cols,
      trees: 0,
      depth: 0,
      seconds: Number(lrSeconds),
      iterations: lr.iterations,
    },
  ]);
  console.log(`peak RSS ${peakRssMb()} MB`);
}

main();
