/** The monitor follows the champion: after a promotion it evaluates new windows with the new model's card. */
import { describe, expect, it } from 'vitest';
import { generateSurveys } from '../../src/domain/generator/index.js';
import { openRegistry } from '../../src/registry/context.js';
import { readModelDir } from '../../src/score/model-dir.js';
import { eventually, startTestPipeline } from '../harness/pipeline.js';
import { publishJsonSurveys } from '../harness/publish.js';

describe('monitor and model promotion', () => {
  it('switches to the promoted champion without a restart', async () => {
    await using p = await startTestPipeline({ 'monitor.enabled': true, 'monitor.windowRows': 200, 'monitor.intervalMs': 200, 'monitor.settleMs': 200 });
    const { js } = p.running.infra.bus;
    const registry = await openRegistry(p.running.infra, 'test');
    const baseline = readModelDir('models/baseline');
    await registry.ensureBaseline(baseline);
    await publishJsonSurveys(js, [...generateSurveys({ seed: 61, count: 400, idPrefix: 'mf1-' })]);
    await eventually(async () => {
      const rows = await p.query<{ n: string }>("SELECT count() AS n FROM {db}.monitor_windows FINAL WHERE model_version = '1.0.0'");
      return Number(rows[0]?.n) >= 1;
    });
    // Same ONNX, new version: promoting it moves KV models/active.
    await registry.register({ onnx: baseline.onnx, card: { ...baseline.card, version: '1.0.1' } }, 'manual', 'test', 'candidate');
    await registry.promote('1.0.1', 'test promotion', 'manual');
    await new Promise((r) => setTimeout(r, 500));
    await publishJsonSurveys(js, [...generateSurveys({ seed: 62, count: 400, idPrefix: 'mf2-' })]);
    await eventually(async () => {
      const rows = await p.query<{ n: string }>("SELECT count() AS n FROM {db}.monitor_windows FINAL WHERE model_version = '1.0.1'");
      return Number(rows[0]?.n) >= 1;
    }, 30_000);
    // Workers hot-swapped too: the second wave is scored by the new champion.
    const versions = await eventually(async () => {
      const rows = await p.query<{ v: string; n: string }>(
        "SELECT model_version AS v, count() AS n FROM {db}.predictions FINAL WHERE startsWith(submission_id, 'mf2-') AND role = 'champion' GROUP BY v",
      );
      return rows.reduce((sum, r) => sum + Number(r.n), 0) === 400 ? rows : undefined;
    });
    expect(versions.map((r) => r.v)).toEqual(['1.0.1']);
  });
});
