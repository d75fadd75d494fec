/**
 * Canonical form of survey values for the stages after validation.
 */
import { FIELD_BY_COLUMN, type SurveyValues } from '../domain/fields.js';
import { PHONES_SENTINEL } from './tables.js';
import { isMissing } from './values.js';

/** Accepted alias spellings (keys that are not their field's column name). */
const ALIAS_KEYS: ReadonlySet<string> = new Set([...FIELD_BY_COLUMN].filter(([key, def]) => def.column !== key).map(([key]) => key));

/**
 * Renames accepted alias spellings (e.g. `Season2VegetableIncome`) to the survey's column name.
 * When both spellings are present the column name wins. Unknown keys are kept as they are.
 * Values without an alias key (nearly all) are returned as they are, not copied: treat the result
 * as read-only.
 */
export function canonicalKeys(values: SurveyValues): SurveyValues {
  let aliased = false;
  for (const key of ALIAS_KEYS) {
    if (key in values) {
      aliased = true;
      break;
    }
  }
  if (!aliased) return values;
  const out: SurveyValues = {};
  for (const [key, value] of Object.entries(values)) {
    const column = FIELD_BY_COLUMN.get(key)?.column ?? key;
    if (column === key || !(column in values)) out[column] = value;
  }
  return out;
}

/** Whether {@link normalize} turns this value of `field` into a blank (null). */
export function isNormalizedBlank(field: string, value: SurveyValues[string] | undefined): boolean {
  return isMissing(value) || (field === 'phones_owned' && value === PHONES_SENTINEL);
}

/**
 * Values as the featurizer and sinks should see them: alias keys renamed ({@link canonicalKeys}),
 * blank strings turned into `null`, and the `phones_owned` missing code -99 turned into `null`.
 * Validation itself runs on the raw values (so it can report `sentinel.phones_owned`).
 */
export function normalize(values: SurveyValues): SurveyValues {
  const canonical = canonicalKeys(values);
  const out = canonical === values ? { ...values } : canonical;
  for (const [key, value] of Object.entries(out)) {
    if (value !== null && isNormalizedBlank(key, value)) out[key] = null;
  }
  return out;
}
