/**
 * End-to-end worker throughput: N generated surveys already durable on JetStream are validated,
 * featurized, scored and written to ClickHouse (surveys + predictions) and the prediction
 * subjects. Reports records/s against the seed system's claimed 800 records/minute.
 *
 *   npm run bench pipeline [-- --count 50000 --batch 1000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { subjects } from '../src/bus/subjects.js';
import { startRoles } from '../src/cli/serve.js';
import { generateSurveys, toNdjsonLine } from '../src/domain/generator/index.js';

const { values } = parseArgs({ options: { count: { type: 'string', default: '50000' }, batch: { type: 'string', default: '1000' } } });
const count = Number(values.count);
const dataDir = mkdtempSync(join(tmpdir(), 'surveystream-bench-'));
const surveys = [...generateSurveys({ seed: 77, count, idPrefix: 'b-' })];

// Publish first with the worker's consumer idle (gateway role only), then time the worker alone.
{
  await using gw = await startRoles('gateway', { dataDir, 'grpc.port': 0, 'http.port': -1, 'log.level': 'warn' });
  const { js } = gw.infra.bus;
  const t = performance.now();
  for (let i = 0; i < surveys.length; i += 1000) {
    await Promise.all(
      surveys.slice(i, i + 1000).map((s) => {
        const h = natsHeaders();
        h.set('Content-Type', 'application/json');
        return js.publish(subjects.raw(String(s.values['District'])), toNdjsonLine(s), { msgID: s.meta.submissionId, headers: h });
      }),
    );
  }
  console.error(`published ${count} surveys in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

await using w = await startRoles('worker', { dataDir, 'http.port': -1, 'log.level': 'warn', 'worker.maxBatchRows': Number(values.batch) });
const { ch } = w.infra;
const started = performance.now();
for (;;) {
  const rs = await ch.client.query({ query: `SELECT count() AS n FROM ${ch.database}.predictions WHERE startsWith(submission_id, 'b-')`, format: 'JSONEachRow' });
  const [row] = await rs.json<{ n: string | number }>();
  if (Number(row?.n) >= count) break;
  await new Promise((r) => setTimeout(r, 100));
}
const seconds = (performance.now() - started) / 1000;
const perSec = count / seconds;
console.log(JSON.stringify({ records: count, seconds: Number(seconds.toFixed(2)), records_per_s: Math.round(perSec), records_per_min: Math.round(perSec * 60), vs_seed_800_per_min: `${Math.round((perSec * 60) / 800)}x`, rss_mb: Math.round(process.memoryUsage().rss / 2 ** 20) }));
process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
