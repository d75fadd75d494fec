/**
 * Issue #7 acceptance: a drift alert triggers a retraining while records keep flowing; the
 * candidate is evaluated against the champion on the same held-out window, promoted and hot-swapped
 * with no record lost or scored twice by the champion; a worse candidate is not promoted; rollback
 * restores the previous version live; every step is in model_registry and on models.v1.>.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliverPolicy } from '@nats-io/jetstream';
import { generateSurveys, type GeneratedSurvey } from '../../src/domain/generator/index.js';
import { writeModelDir } from '../../src/score/model-dir.js';
import { trainModel } from '../../src/train/train-model.js';
import { openRegistry } from '../../src/registry/context.js';
import type { ModelRegistry } from '../../src/registry/registry.js';
import { callControl } from '../../src/trainer/control.js';
import { runTrainingCycle, type Decision } from '../../src/trainer/cycle.js';
import { KvLease } from '../../src/trainer/lease.js';
import { openModelsKv, PointerKey, writePointer } from '../../src/registry/pointers.js';
import { eventually, startTestPipeline, type TestPipeline } from '../harness/pipeline.js';
import { publishJsonSurveys } from '../harness/publish.js';
import { HARNESS_ROOT } from '../harness/paths.js';

const WEAK = '0.1.0-weak';
const drift = { shift: [{ column: 'HouseholdSize', sd: 1.5 }, { column: 'AgricultureLand', sd: 1 }] };
const survey = (prefix: string, seed: number, count: number): GeneratedSurvey[] => [...generateSurveys({ seed, count, idPrefix: prefix, drift })];

/** A deliberately weak champion (3 stumps) so that a real candidate beats it by the margin. */
function weakChampion(dir: string): void {
  const rows = [...generateSurveys({ seed: 5, count: 1500 })].map((s) => ({ values: s.values, date: s.meta.surveyDate ?? null }));
  const weak = trainModel(rows, { name: 'vulnerability', version: WEAK, algo: 'gbdt', gbdt: { nEstimators: 3, maxDepth: 1 } });
  writeModelDir(dir, weak);
}

describe('model lifecycle', () => {
  let p: TestPipeline;
  let registry: ModelRegistry;
  let modelDir: string;
  let promoted: string;
  const timings: Record<string, number> = {};

  const q = <T>(sql: string, params: Record<string, unknown> = {}): Promise<T[]> => p.query<T>(sql, params);
  const versionsOf = async (prefix: string): Promise<Map<string, number>> => {
    const rows = await q<{ v: string; n: string }>("SELECT model_version AS v, count() AS n FROM {db}.predictions FINAL WHERE role = 'champion' AND startsWith(submission_id, {p:String}) GROUP BY v", { p: prefix });
    return new Map(rows.map((r) => [r.v, Number(r.n)]));
  };
  const scored = async (prefix: string, n: number): Promise<void> => {
    await eventually(async () => [...(await versionsOf(prefix)).values()].reduce((a, b) => a + b, 0) === n, 60_000, 200);
  };
  const active = async (): Promise<string | undefined> => (await registry.active())?.version;

  beforeAll(async () => {
    modelDir = mkdtempSync(join(HARNESS_ROOT, 'weak-model-'));
    weakChampion(modelDir);
    p = await startTestPipeline({
      'model.path': modelDir,
      'trainer.enabled': true,
      'worker.maxBatchRows': 200,
      'trainer.cooldownMs': 0,
      'trainer.checkIntervalMs': 200,
      'trainer.minNewLabels': 1_000_000,
      'trainer.cron': 'off',
      'monitor.enabled': false, // drift alerts are published by the test itself
      'trainer.f1Threshold': 0, // isolate the drift trigger
      'trainer.minTrainingRows': 300,
      'trainer.trees': 40,
      'trainer.depth': 3,
      'archive.flushIntervalMs': 1000,
    });
    registry = await openRegistry(p.running.infra, 'test');
    await eventually(async () => (await active()) === WEAK, 20_000);
  });
  afterAll(async () => {
    await p?.[Symbol.asyncDispose]();
    rmSync(modelDir, { recursive: true, force: true });
    console.info('lifecycle timings (ms):', timings);
  });

  it('registers the MODEL_PATH baseline as champion on an empty registry', async () => {
    const list = await registry.list();
    expect(list).toEqual([expect.objectContaining({ version: WEAK, status: 'champion', lastEvent: 'promoted' })]);
  });

  it('retrains on a drift alert, promotes a better candidate and hot-swaps it while records flow', async () => {
    const { js, nc } = p.running.infra.bus;
    await publishJsonSurveys(js, survey('a-', 31, 2500));
    await scored('a-', 2500);
    const flowing = survey('b-', 32, 3000);
    const t0 = Date.now();
    const publishing = (async () => {
      for (let i = 0; i < flowing.length; i += 100) {
        await publishJsonSurveys(js, flowing.slice(i, i + 100));
        await new Promise((r) => setTimeout(r, 40));
      }
    })();
    const alert = { id: 'drift-HouseholdSize', kind: 'drift', severity: 'warning', status: 'firing', summary: 'PSI 0.41 on HouseholdSize', labels: { feature: 'HouseholdSize' }, value: 0.41, threshold: 0.2, fired_at: new Date().toISOString(), model_version: WEAK };
    nc.publish('alerts.v1.warning.drift', JSON.stringify(alert));
    promoted = await eventually(async () => {
      const v = await active();
      return v !== WEAK ? v : undefined;
    }, 90_000, 100);
    timings['alert_to_promotion'] = Date.now() - t0;
    await publishing;
    await scored('b-', flowing.length);
    timings['flow_done'] = Date.now() - t0;
    const versions = await versionsOf('b-');
    // the stream kept flowing through the swap: both versions scored part of it
    expect([...versions.keys()].sort()).toEqual([WEAK, promoted].sort());
  });

  it('scores every valid record exactly once by the champion (no loss, no duplicate, no redelivery)', async () => {
    const [stored] = await q<{ n: string }>("SELECT count() AS n FROM {db}.surveys FINAL WHERE startsWith(submission_id, 'a-') OR startsWith(submission_id, 'b-')");
    const perRecord = await q<{ n: string; c: string }>(
      "SELECT count() AS n, countIf(k != 1) AS c FROM (SELECT submission_id, count() AS k FROM {db}.predictions WHERE role = 'champion' AND (startsWith(submission_id, 'a-') OR startsWith(submission_id, 'b-')) GROUP BY submission_id)",
    );
    expect(Number(stored!.n)).toBe(5500);
    expect(Number(perRecord[0]!.n)).toBe(5500);
    expect(Number(perRecord[0]!.c)).toBe(0);
  });

  it('records every step with its reason in model_registry and on models.v1.>', async () => {
    const events = (await registry.allEvents()).map((e) => `${e.version}:${e.event}:${e.status}:${e.trigger}`);
    expect(events).toEqual([
      `${WEAK}:registered:candidate:baseline`,
      `${WEAK}:promoted:champion:baseline`,
      `${promoted}:registered:candidate:drift`,
      `${promoted}:evaluated:candidate:drift`,
      `${WEAK}:demoted:retired:drift`,
      `${promoted}:promoted:champion:drift`,
    ]);
    const evaluated = (await registry.history(promoted)).find((e) => e.event === 'evaluated')!;
    const evaluation = JSON.parse(evaluated.metrics) as { candidate: { roc_auc: number }; champion: { version: string; roc_auc: number }; holdout: { rows: number } };
    expect(evaluation.champion.version).toBe(WEAK);
    expect(evaluation.candidate.roc_auc).toBeGreaterThan(evaluation.champion.roc_auc + 0.005);
    expect(evaluated.reason).toMatch(/beats champion/);
    timings['candidate_auc_x1000'] = Math.round(evaluation.candidate.roc_auc * 1000);
    timings['champion_auc_x1000'] = Math.round(evaluation.champion.roc_auc * 1000);
    const consumer = await p.running.infra.bus.js.consumers.get('MODEL_EVENTS', { deliver_policy: DeliverPolicy.All, filter_subjects: 'models.v1.>' });
    const subjects: string[] = [];
    for await (const m of await consumer.fetch({ max_messages: 100, expires: 1000 })) {
      subjects.push(m.subject);
      if (m.info.pending === 0) break;
    }
    expect(subjects).toEqual(['registered', 'promoted', 'registered', 'evaluated', 'demoted', 'promoted'].map((e) => `models.v1.${e}`));
  });

  it('does not promote a worse candidate (crippled settings)', async () => {
    const { infra } = p.running;
    const kv = await openModelsKv(infra.bus.js);
    const lease = new KvLease(kv, 'crippled-test', 60_000);
    expect(await lease.acquire()).toBe(true);
    let decision: Decision;
    try {
      const cfg = { ...infra.cfg.trainer, trees: 1, depth: 1 };
      decision = await runTrainingCycle({ ch: infra.ch, registry, cfg, log: infra.log, stillLeader: () => lease.renew() }, 'manual', 'crippled candidate test');
    } finally {
      await lease.release();
    }
    expect(decision.outcome).toBe('rejected');
    expect(decision.reason).toMatch(/does not beat champion/);
    expect(await active()).toBe(promoted);
    const events = (await registry.history(decision.version!)).map((e) => e.event);
    expect(events).toEqual(['registered', 'evaluated', 'rejected']);
  });

  it('refuses a lifecycle step while another trainer holds the lease', async () => {
    const { infra } = p.running;
    const other = new KvLease(await openModelsKv(infra.bus.js), 'another-trainer', 60_000);
    expect(await other.acquire()).toBe(true);
    try {
      await expect(callControl(infra.bus.nc, { op: 'rollback' }, 10_000)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    } finally {
      await other.release();
    }
    expect(await active()).toBe(promoted);
  });

  it('rolls back to the previous champion live: new predictions carry the old version', async () => {
    const { infra } = p.running;
    const result = await callControl(infra.bus.nc, { op: 'rollback', reason: 'test rollback' }, 30_000);
    expect(result).toEqual({ from: promoted, to: WEAK });
    expect(await active()).toBe(WEAK);
    // the swap is asynchronous: probe until a record is scored by the restored version, then publish
    let probe = 0;
    await eventually(async () => {
      probe += 1;
      await publishJsonSurveys(infra.bus.js, survey(`probe${probe}-`, 100 + probe, 1));
      await scored(`probe${probe}-`, 1);
      return (await versionsOf(`probe${probe}-`)).has(WEAK);
    }, 30_000, 50);
    await publishJsonSurveys(infra.bus.js, survey('c-', 33, 300));
    await scored('c-', 300);
    expect([...(await versionsOf('c-')).keys()]).toEqual([WEAK]);
    const last = (await registry.allEvents()).slice(-2).map((e) => `${e.version}:${e.event}:${e.status}`);
    expect(last).toEqual([`${promoted}:rolled_back:retired`, `${WEAK}:promoted:champion`]);
    const list = (await callControl(infra.bus.nc, { op: 'list' }, 10_000)) as { active: { version: string } };
    expect(list.active.version).toBe(WEAK);
  });

  it('catches the log up with the KV pointers when ClickHouse missed a change', async () => {
    const { infra } = p.running;
    const kv = await openModelsKv(infra.bus.js);
    // A promotion whose log rows were never written: the pointer moved (workers follow it), the log did not.
    await writePointer(kv, PointerKey.active, 'vulnerability', promoted, 'operator promotion (log write failed)');
    const states = await eventually(async () => {
      const list = await registry.list();
      return list.find((v) => v.version === promoted)?.status === 'champion' ? list : undefined;
    }, 20_000, 200);
    expect(states.find((v) => v.version === promoted)).toMatchObject({ lastEvent: 'promoted', lastReason: expect.stringMatching(/^reconciled: KV models\/active points to it/) as string });
    expect(states.find((v) => v.version === WEAK)).toMatchObject({ status: 'retired', lastEvent: 'demoted', lastReason: expect.stringMatching(/^reconciled/) as string });
    // The same for a shadow pointer, and the reconciled promotion can be rolled back like any other.
    await writePointer(kv, PointerKey.shadow, 'vulnerability', WEAK, 'operator shadow (log write failed)');
    await eventually(async () => (await registry.list()).find((v) => v.version === WEAK)?.status === 'shadow', 20_000, 200);
    const history = await registry.history(promoted);
    expect(history[history.length - 1]).toMatchObject({ event: 'promoted', trigger: 'reconcile', previous_version: WEAK });
    expect(await registry.reconcilePlan()).toEqual([]);
  });
});
