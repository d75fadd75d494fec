/**
 * Error injection. Each injected record carries the exact error-severity rule ids the validator
 * (src/validate) reports for it; rule ids follow the validator's `<kind>.<column>` convention.
 */
import type { SurveyValues } from '../fields.js';
import type { Rng } from './rng.js';
import type { GeneratedSurvey, InjectedError, InjectedErrorKind } from './types.js';

type Change = readonly [column: string, value: string | number | null];

/** Values of the wrong type: text in numeric columns, fractions in integer columns. */
const WRONG_TYPE: readonly Change[] = [
  ['HouseholdSize', 'abc'],
  ['HouseholdSize', 4.5],
  ['TimeToOPD', 'far'],
  ['AgricultureLand', 'two acres'],
  ['Season1CropsPlanted', 2.5],
  ['hhh_sex', 'M'],
  ['CasualLabour', 'lots'],
];

/** Well-typed values outside the validator's ranges. */
const OUT_OF_RANGE: readonly Change[] = [
  ['HouseholdSize', 0],
  ['HouseholdSize', 60],
  ['TimeToOPD', 5000],
  ['TimeToWater', -10],
  ['AgricultureLand', -1],
  ['CasualLabour', -50],
  ['RentIncome', -120],
  ['daily_meals', 9],
  ['Season1CropsPlanted', 40],
];

const REQUIRED = ['District', 'HouseholdSize', 'HouseHoldID'] as const;
/** Districts of the seed system's wrong whitelist and a neighbour outside the programme. */
const BAD_DISTRICTS = ['Rubirizi', 'Ntungamo', 'Kabale'] as const;

function mutate(
  s: GeneratedSurvey,
  kind: InjectedErrorKind,
  change: Change,
  ruleId: string,
): GeneratedSurvey {
  const [column, value] = change;
  const values: SurveyValues = { ...s.values, [column]: value };
  const injected: InjectedError = { kind, ruleIds: [ruleId], field: column };
  return { meta: s.meta, values, injected };
}

function invalidRecord(rng: Rng, s: GeneratedSurvey, kind: InjectedErrorKind): GeneratedSurvey {
  switch (kind) {
    case 'wrong_type': {
      const change = rng.pick(WRONG_TYPE);
      return mutate(s, kind, change, `type.${change[0]}`);
    }
    case 'out_of_range': {
      const change = rng.pick(OUT_OF_RANGE);
      return mutate(s, kind, change, `range.${change[0]}`);
    }
    case 'missing_required': {
      const column = rng.pick(REQUIRED);
      return mutate(s, kind, [column, null], `required.${column}`);
    }
    case 'bad_district':
      return mutate(s, kind, ['District', rng.pick(BAD_DISTRICTS)], 'enum.District');
    case 'duplicate':
    case 'edit':
      return s;
  }
}

/** A resend of an earlier record: same submission id and content. */
function duplicateOf(earlier: GeneratedSurvey): GeneratedSurvey {
  return {
    meta: { ...earlier.meta },
    values: { ...earlier.values },
    injected: { kind: 'duplicate', ruleIds: [] },
  };
}

/** An edit of an earlier record: new submission id, `deprecatedId` → the earlier one, small changes. */
function editOf(rng: Rng, earlier: GeneratedSurvey, current: GeneratedSurvey): GeneratedSurvey {
  const values: SurveyValues = { ...earlier.values };
  const opd = values['TimeToOPD'];
  if (typeof opd === 'number')
    values['TimeToOPD'] = opd <= 10 ? opd + 5 : opd - 5 * (1 + rng.int(2));
  const swept = values['swept_compound'];
  if (typeof swept === 'number' && rng.bernoulli(0.5)) values['swept_compound'] = 1 - swept;
  return {
    meta: {
      ...current.meta,
      deviceId: earlier.meta.deviceId,
      fieldOfficerId: earlier.meta.fieldOfficerId,
      deprecatedId: earlier.meta.submissionId,
    },
    values,
    injected: { kind: 'edit', ruleIds: [], field: 'TimeToOPD' },
  };
}

/**
 * Turns `clean` into a record with one injected problem of `kind`. Duplicates and edits need an
 * earlier record; with an empty `history` the clean record is returned unchanged.
 */
export function injectError(
  rng: Rng,
  clean: GeneratedSurvey,
  kind: InjectedErrorKind,
  history: readonly GeneratedSurvey[],
): GeneratedSurvey {
  if (kind !== 'duplicate' && kind !== 'edit') return invalidRecord(rng, clean, kind);
  if (history.length === 0) return clean;
  const earlier = rng.pick(history);
  return kind === 'duplicate' ? duplicateOf(earlier) : editOf(rng, earlier, clean);
}
