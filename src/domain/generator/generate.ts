/**
 * The synthetic survey stream.
 */
import { DISTRICTS, FIELD_BY_COLUMN } from '../fields.js';
import { injectError } from './inject.js';
import { makeMeta } from './meta.js';
import { compileOptions, type GeneratorConfig } from './options.js';
import { buildHousehold } from './record.js';
import { Rng } from './rng.js';
import type { GeneratedSurvey, GeneratorOptions } from './types.js';

/** Independent PRNG streams, so e.g. turning error injection on leaves clean records unchanged. */
const STREAM = { record: 1, meta: 2, errors: 3, drift: 4 } as const;
/** How many recent clean records duplicates and edits are drawn from. */
const HISTORY_SIZE = 500;

function cleanRecord(cfg: GeneratorConfig, index: number, usedIds: Set<string>): GeneratedSurvey {
  const rng = Rng.derive(cfg.seed, STREAM.record, index);
  const district = DISTRICTS[rng.weighted(cfg.districtWeights)] ?? 'Rukungiri';
  const { values } = buildHousehold(rng, district, usedIds, cfg.shifts);
  const cat = cfg.newCategory;
  if (cat && Rng.derive(cfg.seed, STREAM.drift, index).bernoulli(cat.rate)) {
    const column = FIELD_BY_COLUMN.get(cat.column)?.column ?? cat.column;
    values[column] = cat.value;
  }
  const meta = makeMeta(Rng.derive(cfg.seed, STREAM.meta, index), index, district, cfg);
  return { meta, values };
}

function maybeInject(
  cfg: GeneratorConfig,
  index: number,
  clean: GeneratedSurvey,
  history: readonly GeneratedSurvey[],
): GeneratedSurvey {
  if (cfg.errorRate <= 0) return clean;
  const rng = Rng.derive(cfg.seed, STREAM.errors, index);
  if (!rng.bernoulli(cfg.errorRate)) return clean;
  return injectError(rng, clean, rng.pick(cfg.errorKinds), history);
}

/**
 * Yields `count` synthetic household surveys, deterministic in `seed` (same options → same records).
 *
 * Values follow the real survey's distributions (SEED_SPEC §1.1, §2, §9) and are built from a latent
 * wealth factor: the target fixes the labels, the other columns carry noisy, capped signal about it.
 * Optional drift changes distributions; optional error injection marks each bad record in `injected`.
 *
 * @throws RangeError on invalid options (checked before the first record).
 */
export function generateSurveys(opts: GeneratorOptions): Generator<GeneratedSurvey> {
  const cfg = compileOptions(opts);
  return run(cfg);
}

function* run(cfg: GeneratorConfig): Generator<GeneratedSurvey> {
  const usedIds = new Set<string>();
  const history: GeneratedSurvey[] = [];
  for (let i = 0; i < cfg.count; i++) {
    const clean = cleanRecord(cfg, i, usedIds);
    const out = maybeInject(cfg, i, clean, history);
    if (!out.injected) {
      if (history.length >= HISTORY_SIZE) history[i % HISTORY_SIZE] = clean;
      else history.push(clean);
    }
    yield out;
  }
}
