/**
 * `surveystream demo`: starts the whole pipeline on the embedded defaults, submits a few hundred
 * generated surveys over gRPC (a few of them deliberately broken), waits until ClickHouse holds
 * them, prints a summary and an example query, shuts down cleanly.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { createIngestClient } from '../client/ingest-client.js';
import { generateSurveys } from '../domain/generator/index.js';
import { surveyToProto } from '../domain/survey-codec.js';
import type { ClickHouse } from '../sink/clickhouse.js';
import { reportError, type Command } from './args.js';
import { startRoles } from './serve.js';

const out = (line = ''): boolean => process.stdout.write(`${line}\n`);

async function queryRows<T>(ch: ClickHouse, query: string, params: Record<string, unknown>): Promise<T[]> {
  const rs = await ch.client.query({ query, query_params: params, format: 'JSONEachRow' });
  return rs.json<T>();
}

async function submitAll(address: string, prefix: string, count: number, concurrency: number) {
  const stats = { accepted: 0, duplicate: 0, failed: 0, bad: 0 };
  const surveys = [...generateSurveys({ seed: 2024, count, idPrefix: prefix, errors: { rate: 0.03, kinds: ['missing_required', 'out_of_range', 'bad_district', 'duplicate'] } })];
  using client = createIngestClient(address);
  let next = 0;
  const workerLoop = async (): Promise<void> => {
    while (next < surveys.length) {
      const s = surveys[next++]!;
      if (s.injected && s.injected.ruleIds.length > 0) stats.bad += 1;
      try {
        const res = await client.submit(surveyToProto(s).survey);
        if (res.status === 2) stats.duplicate += 1;
        else stats.accepted += 1;
      } catch (err) {
        stats.failed += 1;
        process.stderr.write(`submit failed: ${(err as Error).message}\n`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, workerLoop));
  return stats;
}

async function waitForRows(ch: ClickHouse, prefix: string, expected: number, timeoutMs: number): Promise<number> {
  const db = ch.database;
  const deadline = Date.now() + timeoutMs;
  let seen = 0;
  while (Date.now() < deadline) {
    const [row] = await queryRows<{ n: string }>(
      ch,
      // Predictions are written after the survey rows of a batch: count them, not the surveys.
      `SELECT (SELECT count() FROM ${db}.predictions FINAL WHERE startsWith(submission_id, {p:String}) AND role = 'champion')
            + (SELECT uniqExact(submission_id) FROM ${db}.rejections WHERE startsWith(submission_id, {p:String})) AS n`,
      { p: prefix },
    );
    seen = Number(row?.n ?? 0);
    if (seen >= expected) return seen;
    await sleep(200);
  }
  return seen;
}

async function printSummary(ch: ClickHouse, prefix: string): Promise<void> {
  const db = ch.database;
  const byDistrict = await queryRows<{ District: string; surveys: number | string; vulnerable_share: number; mean_quality: number }>(
    ch,
    `SELECT District, count() AS surveys, round(avg(is_vulnerable), 3) AS vulnerable_share,
            round(avg(quality_score), 3) AS mean_quality
       FROM ${db}.surveys FINAL WHERE startsWith(submission_id, {p:String})
      GROUP BY District ORDER BY surveys DESC`,
    { p: prefix },
  );
  out('surveys in ClickHouse, by district:');
  out(`  ${'District'.padEnd(12)} ${'surveys'.padStart(8)} ${'vulnerable'.padStart(11)} ${'quality'.padStart(8)}`);
  for (const r of byDistrict) {
    out(`  ${r.District.padEnd(12)} ${String(r.surveys).padStart(8)} ${String(r.vulnerable_share).padStart(11)} ${String(r.mean_quality).padStart(8)}`);
  }
  const risk = await queryRows<{ risk: string; n: number | string; mean_p: number; version: string }>(
    ch,
    `SELECT risk, count() AS n, round(avg(probability), 3) AS mean_p, any(model_version) AS version
       FROM ${db}.predictions FINAL WHERE startsWith(submission_id, {p:String}) AND role = 'champion'
      GROUP BY risk ORDER BY mean_p`,
    { p: prefix },
  );
  out(`predictions (model ${risk[0]?.version ?? 'none'}), by risk category:`);
  for (const r of risk) out(`  ${r.risk.padEnd(12)} ${String(r.n).padStart(8)}   mean p ${r.mean_p}`);
  const rejected = await queryRows<{ rule: string; n: number | string }>(
    ch,
    `SELECT arrayJoin(rule_ids) AS rule, uniqExact(submission_id) AS n FROM ${db}.rejections
      WHERE startsWith(submission_id, {p:String}) GROUP BY rule ORDER BY n DESC`,
    { p: prefix },
  );
  out('dead-lettered surveys, by rule:');
  for (const r of rejected) out(`  ${r.rule.padEnd(36)} ${String(r.n)}`);
  out();
  out('query the demo store yourself:');
  out(`  SURVEYSTREAM_DATA_DIR=./data/demo npx surveystream query \\`);
  out(`    "SELECT District, count() AS surveys, avg(is_vulnerable) AS vulnerable_share FROM ${db}.surveys FINAL GROUP BY District"`);
  out(`  SURVEYSTREAM_DATA_DIR=./data/demo npx surveystream query \\`);
  out(`    "SELECT risk, count() FROM ${db}.predictions FINAL WHERE role = 'champion' GROUP BY risk"`);
}

export const demoCommand: Command = async (args) => {
  const { values } = parseArgs({ args, options: { count: { type: 'string', default: '300' } } });
  const count = Number(values.count);
  if (!Number.isInteger(count) || count <= 0 || count > 100_000) {
    process.stderr.write('surveystream demo: --count must be an integer between 1 and 100000\n');
    return 2;
  }
  const overrides: Record<string, unknown> = { 'grpc.port': 0, 'http.port': 0 };
  if (!process.env['SURVEYSTREAM_DATA_DIR']) overrides['dataDir'] = './data/demo';
  if (!process.env['LOG_LEVEL']) overrides['log.level'] = 'warn';
  try {
    await using running = await startRoles('dev', overrides);
    const { ch } = running.infra;
    const prefix = `demo-${randomBytes(4).toString('hex')}-`;
    out(`pipeline up: gRPC 127.0.0.1:${running.grpcPort}, NATS ${running.infra.natsUrl}, ClickHouse ${ch.kind}, metrics http://127.0.0.1:${running.httpPort}/metrics`);
    const started = Date.now();
    const stats = await submitAll(`127.0.0.1:${running.grpcPort!}`, prefix, count, 16);
    out(`submitted ${count} surveys over gRPC: ${stats.accepted} accepted, ${stats.duplicate} duplicates, ${stats.failed} failed (${stats.bad} deliberately invalid)`);
    const landed = await waitForRows(ch, prefix, stats.accepted, 60_000);
    out(`ClickHouse holds ${landed}/${stats.accepted} accepted surveys (scored or dead-lettered) after ${Date.now() - started} ms`);
    out();
    await printSummary(ch, prefix);
    if (landed < stats.accepted || stats.failed > 0) {
      process.stderr.write('surveystream demo: not every accepted survey landed\n');
      return 1;
    }
    return 0;
  } catch (err) {
    return reportError(err);
  }
};
