/**
 * The pipeline rides out a NATS restart: the worker's consumer resumes after the reconnect, and
 * surveys published before and after the outage are all stored once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedNats, type EmbeddedNats } from '../../src/bus/nats-server.js';
import { connectBus } from '../../src/bus/nats.js';
import { loadConfig } from '../../src/config.js';
import { generateSurveys } from '../../src/domain/generator/index.js';
import { freePort } from '../harness/nats-cluster.js';
import { HARNESS_ROOT } from '../harness/paths.js';
import { eventually, startTestPipeline } from '../harness/pipeline.js';
import { publishJsonSurveys } from '../harness/publish.js';

describe('NATS restart', () => {
  const dir = mkdtempSync(join(HARNESS_ROOT, 'nats-restart-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stores every survey published before and after the server restarted', async () => {
    const port = await freePort();
    const storeDir = join(dir, 'nats');
    let nats: EmbeddedNats | undefined = await startEmbeddedNats({ bin: 'nats-server', storeDir, port });
    try {
      await using p = await startTestPipeline({ 'nats.url': nats.url }, { dataDir: join(dir, 'run') });
      const stored = async (prefix: string): Promise<number> => {
        const [r] = await p.query<{ n: string }>('SELECT count() AS n FROM {db}.surveys FINAL WHERE startsWith(submission_id, {p:String})', { p: prefix });
        return Number(r?.n ?? 0);
      };
      await publishJsonSurveys(p.running.infra.bus.js, [...generateSurveys({ seed: 81, count: 200, idPrefix: 'nr1-' })]);
      await eventually(async () => (await stored('nr1-')) === 200, 30_000, 200);

      await nats[Symbol.asyncDispose]();
      nats = undefined;
      await new Promise((r) => setTimeout(r, 1500));
      nats = await startEmbeddedNats({ bin: 'nats-server', storeDir, port });
      // A separate publisher (like a gateway or device) after the outage.
      await using bus = await connectBus(loadConfig({}).nats, nats.url, 'restart-test');
      await publishJsonSurveys(bus.js, [...generateSurveys({ seed: 82, count: 200, idPrefix: 'nr2-' })]);
      await eventually(async () => (await stored('nr2-')) === 200, 60_000, 250);
      expect(await stored('nr1-')).toBe(200);
    } finally {
      await nats?.[Symbol.asyncDispose]();
    }
  }, 120_000);
});
