/**
 * Column names of uploaded files. Survey columns use their original names, typos included
 * (`Season2VegatableIncome`); the dictionary's other spellings (aliases) and the proto's
 * snake_case names are accepted too. Metadata columns are those of the generator's CSV
 * (`submission_id`, `device_id`, ...). Anything else is ignored and reported as unknown.
 */
import { FIELD_BY_COLUMN, SURVEY_FIELDS, type FieldDef } from '../domain/fields.js';
import { META_KEYS } from '../domain/survey-json.js';
import { fileError } from './types.js';

/** Metadata columns and the SurveyMeta property each fills (the JSON form's, one definition). */
export const META_COLUMNS = META_KEYS;
/** SurveyMeta properties a metadata column fills. */
export type MetaKey = (typeof META_COLUMNS)[keyof typeof META_COLUMNS];

/** Where a column's values go. */
export type ColumnTarget = { readonly kind: 'meta'; readonly key: MetaKey } | { readonly kind: 'field'; readonly field: FieldDef };

/** Survey columns a file must have (all three, or the file is refused). */
export const REQUIRED_COLUMNS: readonly string[] = SURVEY_FIELDS.filter((f) => f.required).map((f) => f.column);

const BY_PROTO = new Map(SURVEY_FIELDS.map((f) => [f.proto, f]));

/** The target of a column name, or undefined for an unknown column. */
export function resolveColumn(rawName: string): ColumnTarget | undefined {
  const name = rawName.trim();
  if (Object.hasOwn(META_COLUMNS, name)) return { kind: 'meta', key: META_COLUMNS[name as keyof typeof META_COLUMNS] };
  const field = FIELD_BY_COLUMN.get(name) ?? BY_PROTO.get(name);
  return field ? { kind: 'field', field } : undefined;
}

/** A header resolved: one target (or undefined = ignored) per column. */
export interface ColumnPlan {
  readonly targets: readonly (ColumnTarget | undefined)[];
  readonly unknown: readonly string[];
}

const targetName = (t: ColumnTarget): string => (t.kind === 'meta' ? t.key : t.field.column);

/** Throws a file error naming the required survey columns that are absent. */
export function requireColumns(present: ReadonlySet<string>): void {
  const missing = REQUIRED_COLUMNS.filter((c) => !present.has(c));
  if (missing.length > 0) {
    throw fileError(
      'columns',
      `wrong columns: missing ${missing.join(', ')} (column names are the survey's original names, e.g. ${REQUIRED_COLUMNS.join(', ')})`,
      undefined,
      { missing: missing.join(',') },
    );
  }
}

/** Resolves a header; throws a file error on missing required columns or a column given twice. */
export function planColumns(names: readonly string[]): ColumnPlan {
  const seen = new Map<string, string>();
  const unknown: string[] = [];
  const targets = names.map((name) => {
    const target = resolveColumn(name);
    if (!target) {
      if (name.trim() !== '') unknown.push(name);
      return undefined;
    }
    const key = targetName(target);
    const earlier = seen.get(key);
    if (earlier !== undefined) throw fileError('columns', `columns "${earlier}" and "${name}" are the same field (${key})`);
    seen.set(key, name);
    return target;
  });
  requireColumns(new Set([...seen.keys()]));
  return { targets, unknown };
}
