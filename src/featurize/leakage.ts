/**
 * Target leakage: which survey columns are (near-)components of the target
 * `HHIncome+Consumption+Residues/Day` (SEED_SPEC §4.1, §10). The seed's 97.9 % accuracy came from
 * using them as inputs; an honest spec must not read them, directly or through a derived feature.
 */
import { SURVEY_FIELDS, TARGET_COLUMN } from '../domain/fields.js';
import { derivedInputs, type FeatureSpec } from './schema.js';

const EXPLICIT = new Set<string>([
  TARGET_COLUMN,
  'HouseholdIcome',
  'Consumption+Residues',
  'HHIncome+Consumption+Residues',
  'HHIncome+Consumption+Assets+Residues',
  'AgricValue',
  // Own-consumed livestock is part of consumption, i.e. of the target.
  'LivestockIncomeConsumed',
]);

/**
 * Columns a non-leaking spec must never read: the target, the income/consumption aggregates,
 * every `/Day` column, and every `*Value` aggregate (agric and vegetable values, livestock asset value).
 */
export const LEAKING_COLUMNS: readonly string[] = SURVEY_FIELDS.map((f) => f.column).filter(
  (c) => EXPLICIT.has(c) || c.includes('/Day') || c.endsWith('Value'),
);

const LEAKING = new Set(LEAKING_COLUMNS);

/** Every original column a spec reads, following derived definitions transitively. */
export function sourceColumns(spec: FeatureSpec): string[] {
  const byId = new Map(spec.derived.map((d) => [d.id, d]));
  const seen = new Set<string>();
  const columns = new Set<string>();
  const visit = (source: string): void => {
    if (seen.has(source)) return;
    seen.add(source);
    const d = byId.get(source);
    if (d) derivedInputs(d).forEach(visit);
    else columns.add(source);
  };
  for (const f of [...spec.numeric, ...spec.categorical, ...spec.binary]) visit(f.source);
  return [...columns];
}

/** The leaking columns a spec reads (empty for an honest spec). */
export function leakingColumnsOf(spec: FeatureSpec): string[] {
  return sourceColumns(spec).filter((c) => LEAKING.has(c));
}

/** Thrown when a spec that claims `leaking: false` reads a leaking column. */
export class LeakageError extends Error {
  readonly columns: readonly string[];
  constructor(spec: string, columns: readonly string[]) {
    super(`feature spec "${spec}" is marked non-leaking but reads ${columns.join(', ')}`);
    this.name = 'LeakageError';
    this.columns = columns;
  }
}

/** Throws {@link LeakageError} if a spec marked `leaking: false` reads any leaking column. */
export function assertNoLeakage(spec: FeatureSpec): void {
  if (spec.leaking) return;
  const cols = leakingColumnsOf(spec);
  if (cols.length > 0) throw new LeakageError(spec.name, cols);
}
