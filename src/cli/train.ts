/**
 * `surveystream train`: trains a model from a survey file or from ClickHouse and writes
 * `model.onnx` + `model.json` into a model directory.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { PipelineError } from '../errors.js';
import { writeModelDir } from '../score/model-dir.js';
import { openClickHouse, type ClickHouse } from '../sink/clickhouse.js';
import { trainModel, type LabelledSurvey } from '../train/train-model.js';
import { readSurveyFile } from '../upload/index.js';
import { config, reportError, type Command } from './args.js';

const USAGE = `usage: surveystream train --from FILE|clickhouse [options]
  --from FILE           surveys in .csv/.xlsx/.json/.ndjson/.jsonl/.parquet, read as an upload reads them
                        (e.g. from "surveystream generate"); rows with errors are skipped and reported
  --from clickhouse     labelled surveys in ClickHouse (CLICKHOUSE_URL, or the embedded store of SURVEYSTREAM_DATA_DIR)
  --since / --until     with --from clickhouse: survey received_at window (ISO dates)
  --algo gbdt|logistic  default gbdt
  --spec NAME           feature spec template, default honest-v1 (seed-part-a is the seed's LEAKING inputs)
  --split stratified|time   default stratified (time: the newest surveys are the test part)
  --name NAME --version V   default vulnerability / a timestamp
  --out DIR             default models/<name>/<version>
  --seed N              default 42
  --trees N --depth N --learning-rate X   GBDT settings
`;

async function fromFile(path: string): Promise<LabelledSurvey[]> {
  const rows: LabelledSurvey[] = [];
  let skipped = 0;
  for await (const r of readSurveyFile(path)) {
    if (r.ok) {
      rows.push({ values: r.record.values, date: r.record.meta.surveyDate ?? null });
      continue;
    }
    skipped += 1;
    if (skipped <= 5) for (const e of r.errors) process.stderr.write(`${path}: row ${e.row}${e.column ? ` column ${e.column}` : ''}: ${e.message} (${e.reasonCode})\n`);
  }
  if (skipped > 0) process.stderr.write(`${path}: ${skipped} row(s) with errors skipped, ${rows.length} read\n`);
  return rows;
}

async function fromClickHouse(ch: ClickHouse, since?: string, until?: string): Promise<LabelledSurvey[]> {
  const rs = await ch.client.query({
    query: `SELECT * EXCEPT (household_id_enc) FROM ${ch.database}.surveys FINAL
             WHERE progress_status IS NOT NULL
               AND received_at >= parseDateTime64BestEffort({since:String})
               AND received_at < parseDateTime64BestEffort({until:String})`,
    query_params: { since: since ?? '1970-01-01', until: until ?? '2999-01-01' },
    format: 'JSONEachRow',
  });
  const rows = await rs.json<Record<string, string | number | null>>();
  return rows.map((r) => ({ values: r, date: typeof r['survey_date'] === 'string' ? r['survey_date'] : null }));
}

export const trainCommand: Command = async (argv) => {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        from: { type: 'string' }, since: { type: 'string' }, until: { type: 'string' }, algo: { type: 'string', default: 'gbdt' },
        spec: { type: 'string', default: 'honest-v1' }, split: { type: 'string', default: 'stratified' }, name: { type: 'string', default: 'vulnerability' },
        version: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string', default: '42' }, trees: { type: 'string' }, depth: { type: 'string' },
        'learning-rate': { type: 'string' }, help: { type: 'boolean', default: false },
      },
    });
    if (values.help || !values.from) {
      process.stdout.write(USAGE);
      return values.help ? 0 : 2;
    }
    if (values.algo !== 'gbdt' && values.algo !== 'logistic') throw new PipelineError('INVALID_ARGUMENT', '--algo must be gbdt or logistic', false);
    if (values.split !== 'stratified' && values.split !== 'time') throw new PipelineError('INVALID_ARGUMENT', '--split must be stratified or time', false);
    const version = values.version ?? new Date().toISOString().replace(/[-:]/g, '').slice(0, 15);
    let rows: LabelledSurvey[];
    if (values.from === 'clickhouse') {
      const cfg = config();
      await using ch = await openClickHouse(cfg.clickhouse, cfg.dataDir);
      rows = await fromClickHouse(ch, values.since, values.until);
    } else {
      rows = await fromFile(values.from);
    }
    const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
    const gbdt = Object.fromEntries(
      Object.entries({ nEstimators: num(values.trees), maxDepth: num(values.depth), learningRate: num(values['learning-rate']) }).filter(([, v]) => v !== undefined),
    );
    const started = Date.now();
    const artifact = trainModel(rows, { name: values.name, version, algo: values.algo, spec: values.spec, split: values.split, seed: Number(values.seed), gbdt });
    const out = resolve(values.out ?? `models/${values.name}/${version}`);
    writeModelDir(out, artifact);
    const m = artifact.card.metrics;
    process.stdout.write(
      `${artifact.card.name}@${version} (${values.algo}, spec ${values.spec}) trained on ${artifact.card.rows.train} rows in ${((Date.now() - started) / 1000).toFixed(1)} s\n` +
        `test: ROC AUC ${m.roc_auc?.toFixed(4)}  PR AUC ${m.pr_auc?.toFixed(4)}  accuracy ${m.accuracy?.toFixed(4)}  F1 ${m.f1?.toFixed(4)}  Brier ${m.brier?.toFixed(4)}\n` +
        `written to ${out}\n`,
    );
    return 0;
  } catch (err) {
    return reportError(err);
  }
};
