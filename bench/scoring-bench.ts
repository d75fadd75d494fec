/**
 * Scoring throughput, same model and batch size:
 *  - raw: onnxruntime `session.run` on pre-built float32 batches;
 *  - stream: the worker chain's score stage in RxJS (assemble the batch from the records' feature
 *    rows, run, attach predictions), fed records as the featurize stage leaves them;
 *  - featurize+score: the featurize stage (per record) plus the score stage, for the end-to-end cost.
 *
 *   npm run bench scoring [-- --rows 50000 --batch 1000 --model models/baseline]
 */
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { bufferCount, concatMap, from, lastValueFrom, reduce, toArray } from 'rxjs';
import { generateSurveys } from '../src/domain/generator/index.js';
import { featurizeBatch } from '../src/featurize/index.js';
import { acceptedItem, type AcceptedItem, type Item } from '../src/pipeline/types.js';
import { readModelDir } from '../src/score/model-dir.js';
import { Scorer } from '../src/score/scorer.js';
import { ModelHolder, createScoreStep, featurizeStage } from '../src/score/score-step.js';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '50000' }, batch: { type: 'string', default: '1000' }, model: { type: 'string', default: 'models/baseline' }, threads: { type: 'string', default: '1' } } });
const rows = Number(values.rows);
const batch = Number(values.batch);
const scorer = await Scorer.create(readModelDir(values.model), { intraOpNumThreads: Number(values.threads) });
const surveys = [...generateSurveys({ seed: 5, count: rows })];

function item(i: number): AcceptedItem {
  const s = surveys[i]!;
  return acceptedItem({ msg: undefined as never, streamSeq: i, deliveryCount: 1, storedAtMs: 0, version: i }, { meta: s.meta, values: s.values }, { valid: true, hits: [], qualityScore: 1 }, null);
}
const batches: Item[][] = [];
for (let i = 0; i < rows; i += batch) batches.push(Array.from({ length: Math.min(batch, rows - i) }, (_, k) => item(i + k)));

function countScored(b: readonly Item[]): number {
  let n = 0;
  for (const i of b) if (i.kind === 'accepted' && i.prediction) n += 1;
  return n;
}

// Raw: featurize once up front, time only session.run.
const matrices = batches.map((b) => featurizeBatch(scorer.card.feature_spec, b.map((x) => (x as AcceptedItem).record.values)));
async function raw(): Promise<number> {
  const t = performance.now();
  for (const m of matrices) await scorer.run(m.data, m.rows, m.cols);
  return rows / ((performance.now() - t) / 1000);
}

// In the stream: the worker's featurize stage and scoring step inside an RxJS chain.
const holder = new ModelHolder(scorer);
const step = createScoreStep(holder);
// As in the worker: slabs sized to the micro-batch bound (WORKER_MAX_BATCH_ROWS = batch).
const featurized = await lastValueFrom(from(batches.flat()).pipe(featurizeStage(holder, batch), bufferCount(batch), toArray()));
async function stream(): Promise<number> {
  const t = performance.now();
  const scored = await lastValueFrom(from(featurized).pipe(concatMap((b) => step(b)), reduce((n, b) => n + countScored(b), 0)));
  if (scored !== rows) throw new Error(`scored ${scored} of ${rows}`);
  return rows / ((performance.now() - t) / 1000);
}
async function endToEnd(): Promise<number> {
  const t = performance.now();
  const scored = await lastValueFrom(from(batches.flat()).pipe(featurizeStage(holder, batch), bufferCount(batch), concatMap((b) => step(b)), reduce((n, b) => n + countScored(b), 0)));
  if (scored !== rows) throw new Error(`scored ${scored} of ${rows}`);
  return rows / ((performance.now() - t) / 1000);
}

// Each measurement starts after a full GC, so one phase's garbage is not collected on the other's
// clock (the phases alternate); every phase still pays for the garbage it makes itself.
v8.setFlagsFromString('--expose_gc');
const gc = vm.runInNewContext('gc') as () => void;
const timed = async (f: () => Promise<number>): Promise<number> => {
  gc();
  return f();
};
await raw();
await stream(); // warm-up
const runs = { raw: [] as number[], stream: [] as number[], e2e: [] as number[] };
for (let r = 0; r < 5; r++) {
  runs.raw.push(await timed(raw));
  runs.stream.push(await timed(stream));
  runs.e2e.push(await timed(endToEnd));
}
const best = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!; // median
const ratio = best(runs.stream) / best(runs.raw);
console.log(JSON.stringify({ model: `${scorer.card.name}@${scorer.version}`, rows, batch, threads: Number(values.threads), raw_rows_per_s: Math.round(best(runs.raw)), stream_rows_per_s: Math.round(best(runs.stream)), ratio: Number(ratio.toFixed(3)), featurize_and_score_rows_per_s: Math.round(best(runs.e2e)) }));
await scorer[Symbol.asyncDispose]();
