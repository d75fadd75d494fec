/**
 * Issue #3 acceptance: 20,000 generated surveys with 5 % injected errors put exactly the injected
 * bad records in the DLQ with the right rule ids and the rest in ClickHouse; no clear-text PII in
 * ClickHouse, logs or dead letters; edits supersede; corrected dead letters replay exactly once.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { generateSurveys, type GeneratedSurvey } from '../../src/domain/generator/index.js';
import { listDeadLetters, replayDeadLetters } from '../../src/dlq/dead-letters.js';
import { Prediction } from '../../src/gen/surveystream/v1/prediction.js';
import { RULES, validateSurvey } from '../../src/validate/index.js';
import type { Rule } from '../../src/validate/index.js';
import { eventually, startTestPipeline, type TestPipeline } from '../harness/pipeline.js';
import { HARNESS_ROOT } from '../harness/paths.js';
import { publishJsonSurveys } from '../harness/publish.js';

mkdirSync(HARNESS_ROOT, { recursive: true });

const PROTECTED_TOKEN = /\b(?:v1\.[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+|h1\.[\w-]+\.[0-9a-f]{32})/g;

interface Expectation {
  stored: Set<string>;
  rejected: Map<string, string[]>;
}

/** What must end where, from the first occurrence of each submission id (JetStream drops resends). */
function expectations(surveys: readonly GeneratedSurvey[]): Expectation {
  const first = new Map<string, GeneratedSurvey>();
  for (const s of surveys) if (!first.has(s.meta.submissionId)) first.set(s.meta.submissionId, s);
  const stored = new Set<string>();
  const rejected = new Map<string, string[]>();
  for (const [id, s] of first) {
    if (s.injected && s.injected.ruleIds.length > 0) rejected.set(id, [...s.injected.ruleIds].sort());
    else stored.add(id);
  }
  for (const s of first.values()) if (s.meta.deprecatedId && stored.has(s.meta.submissionId)) stored.delete(s.meta.deprecatedId);
  return { stored, rejected };
}

function piiValues(surveys: readonly GeneratedSurvey[]): Set<string> {
  const values = new Set<string>();
  for (const s of surveys) {
    for (const v of [s.values['HouseHoldID'], s.values['Village'], s.values['Cluster'], s.meta.deviceId, s.meta.fieldOfficerId]) {
      if (typeof v === 'string' && v.length > 0) values.add(v);
    }
  }
  return values;
}

/** Secrets found in clear in the text, after protected values (ciphertexts, hashes) are removed. */
function findLeaks(text: string, secrets: Set<string>): string[] {
  const scrubbed = text.replace(PROTECTED_TOKEN, '<protected>');
  const tokens = new Set(scrubbed.split(/[^A-Za-z0-9_-]+/));
  const simple = /^[A-Za-z0-9_-]+$/;
  return [...secrets].filter((s) => (simple.test(s) ? tokens.has(s) : scrubbed.includes(s))).slice(0, 5);
}

describe('domain: 20,000 generated surveys with 5 % injected errors', () => {
  let p: TestPipeline;
  const logLines: string[] = [];
  const surveys = [...generateSurveys({ seed: 3, count: 20_000, idPrefix: 'q-', errors: { rate: 0.05 } })];
  const expected = expectations(surveys);

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        logLines.push(chunk.toString());
        cb();
      },
    });
    p = await startTestPipeline({ 'worker.flushIntervalMs': 100 }, { log: pino({ level: 'trace' }, sink) });
    await publishJsonSurveys(p.running.infra.bus.js, surveys);
    await eventually(async () => {
      const [row] = await p.query<{ stored: string; rejected: string }>(
        "SELECT (SELECT count() FROM {db}.surveys FINAL WHERE startsWith(submission_id, 'q-')) AS stored, (SELECT uniqExact(submission_id) FROM {db}.rejections WHERE startsWith(submission_id, 'q-')) AS rejected",
      );
      return Number(row?.stored) === expected.stored.size && Number(row?.rejected) === expected.rejected.size;
    }, 90_000, 250);
  });
  afterAll(async () => {
    await p?.[Symbol.asyncDispose]();
  });

  it('injects the expected mix', () => {
    expect(expected.rejected.size).toBeGreaterThan(500);
    expect(surveys.some((s) => s.injected?.kind === 'edit')).toBe(true);
    expect(surveys.some((s) => s.injected?.kind === 'duplicate')).toBe(true);
  });

  it('puts exactly the injected bad records in the DLQ, with the right rule ids', async () => {
    const rows = await p.query<{ submission_id: string; rule_ids: string[] }>(
      "SELECT submission_id, any(rule_ids) AS rule_ids FROM {db}.rejections WHERE startsWith(submission_id, 'q-') GROUP BY submission_id",
    );
    const got = new Map(rows.map((r) => [r.submission_id, [...r.rule_ids].sort()]));
    expect(got.size).toBe(expected.rejected.size);
    const mismatches = [...expected.rejected].filter(([id, rules]) => JSON.stringify(got.get(id)) !== JSON.stringify(rules));
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it('stores the rest, once each, with edits superseding what they replace', async () => {
    const rows = await p.query<{ submission_id: string }>("SELECT submission_id FROM {db}.surveys FINAL WHERE startsWith(submission_id, 'q-')");
    const got = new Set(rows.map((r) => r.submission_id));
    expect(got.size).toBe(rows.length);
    expect([...expected.stored].filter((id) => !got.has(id)).slice(0, 5)).toEqual([]);
    expect([...got].filter((id) => !expected.stored.has(id)).slice(0, 5)).toEqual([]);
  });

  it('labels stored surveys from the daily target and counts rule hits in quality_metrics', async () => {
    const [labels] = await p.query<{ labelled: string; vulnerable_share: number }>(
      "SELECT countIf(progress_status IS NOT NULL) AS labelled, avg(is_vulnerable) AS vulnerable_share FROM {db}.surveys FINAL WHERE startsWith(submission_id, 'q-')",
    );
    expect(Number(labels?.labelled)).toBe(expected.stored.size);
    expect(labels?.vulnerable_share).toBeGreaterThan(0.38);
    expect(labels?.vulnerable_share).toBeLessThan(0.47);
    const hits = await p.query<{ severity: string; hits: string }>('SELECT severity, sum(hits) AS hits FROM {db}.quality_metrics GROUP BY severity');
    const errors = Number(hits.find((h) => h.severity === 'error')?.hits ?? 0);
    expect(errors).toBeGreaterThanOrEqual(expected.rejected.size);
  });

  it('lets no clear-text personal value reach ClickHouse, logs or dead letters', async () => {
    const secrets = piiValues(surveys);
    for (const table of ['surveys', 'rejections', 'quality_metrics', 'quality_windows']) {
      const rows = await p.query<Record<string, unknown>>(`SELECT * FROM {db}.${table}`);
      expect(rows.length, table).toBeGreaterThan(0);
      expect(findLeaks(JSON.stringify(rows), secrets), table).toEqual([]);
    }
    expect(logLines.length).toBeGreaterThan(0);
    expect(findLeaks(logLines.join(''), secrets)).toEqual([]);
    const { js, jsm } = p.running.infra.bus;
    const letters = await listDeadLetters(js, jsm, { limit: 2000 });
    expect(letters.length).toBeGreaterThan(0);
    expect(findLeaks(JSON.stringify(letters), secrets)).toEqual([]);
    // Prediction messages, decoded as downstream systems see them.
    const predictions = await js.consumers.get('PREDICTIONS', { filter_subjects: 'predictions.v1.>' });
    const seen: unknown[] = [];
    for (;;) {
      const batch = await predictions.fetch({ max_messages: 5000, expires: 1000 });
      let got = 0;
      let last = false;
      for await (const m of batch) {
        got += 1;
        seen.push(Prediction.toJSON(Prediction.decode(m.data)));
        if (m.info.pending === 0) last = true;
      }
      if (got === 0 || last) break;
    }
    // One message per valid submission, superseded ones included (they were scored before the edit came).
    const validIds = new Set(surveys.map((x) => x.meta.submissionId).filter((id) => !expected.rejected.has(id)));
    expect(seen.length).toBe(validIds.size);
    expect(findLeaks(JSON.stringify(seen), secrets)).toEqual([]);
  });
});

describe('dlq replay after a rule is corrected', () => {
  // A wrong rule: households over 8 people are "invalid". It sends real households to the DLQ.
  const tooStrict: Rule = {
    id: 'range.HouseholdSize.too_strict',
    severity: 'error',
    kind: 'range',
    fields: ['HouseholdSize'],
    description: 'deliberately wrong limit',
    check: (v) => (typeof v['HouseholdSize'] === 'number' && v['HouseholdSize'] > 8 ? 'more than 8 people' : null),
  };
  const surveys = [...generateSurveys({ seed: 8, count: 600, idPrefix: 'r-' })];
  const big = new Set(surveys.filter((s) => (s.values['HouseholdSize'] as number) > 8).map((s) => s.meta.submissionId));
  const dataDir = mkdtempSync(join(HARNESS_ROOT, 'replay-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('re-drives the wrongly rejected records once the rule is fixed, each landing exactly once', async () => {
    expect(big.size).toBeGreaterThan(3);
    {
      await using p = await startTestPipeline({}, { dataDir, validator: (v) => validateSurvey(v, [...RULES, tooStrict]) });
      await publishJsonSurveys(p.running.infra.bus.js, surveys);
      await eventually(async () => {
        const [r] = await p.query<{ n: string }>("SELECT uniqExact(submission_id) AS n FROM {db}.rejections WHERE startsWith(submission_id, 'r-')");
        return Number(r?.n) === big.size;
      });
    }
    // Restart on the same stores with the corrected rules, then replay twice.
    await using p = await startTestPipeline({}, { dataDir });
    const { js, jsm } = p.running.infra.bus;
    const letters = await listDeadLetters(js, jsm, { reason: 'range.HouseholdSize.too_strict' });
    expect(new Set(letters.map((l) => l.submission_id))).toEqual(big);
    const first = await replayDeadLetters(js, p.running.infra.pii, letters);
    expect(first.every((r) => r.outcome === 'replayed')).toBe(true);
    const second = await replayDeadLetters(js, p.running.infra.pii, letters);
    expect(second.every((r) => r.outcome === 'duplicate')).toBe(true);
    await eventually(async () => {
      const [r] = await p.query<{ n: string }>("SELECT count() AS n FROM {db}.surveys FINAL WHERE startsWith(submission_id, 'r-')");
      return Number(r?.n) === surveys.length;
    });
    const rows = await p.query<{ submission_id: string; n: string }>(
      "SELECT submission_id, count() AS n FROM {db}.surveys WHERE startsWith(submission_id, 'r-') GROUP BY submission_id HAVING n > 1",
    );
    expect(rows).toEqual([]);
  });
});
