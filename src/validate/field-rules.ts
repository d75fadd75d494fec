/**
 * Per-field rules generated from the field table (src/domain/fields.ts) and ./tables.ts:
 * required, type, range and enum. Type checks own wrong types; range and enum rules skip values of the
 * wrong type, so one bad value yields exactly one error.
 */
import { SURVEY_FIELDS, type FieldDef, type FieldKind } from '../domain/fields.js';
import {
  ENUMS,
  NUMERIC_FIELDS,
  TEXT_MAX_LENGTH,
  rangeFor,
  type EnumSpec,
  type Range,
} from './tables.js';
import type { Rule } from './types.js';
import { isMissing, num, show, type Value } from './values.js';

/** `required.<column>` for every required field: blank (null or whitespace) is an error. */
export function requiredRules(): Rule[] {
  return SURVEY_FIELDS.filter((f) => f.required).map((f) => ({
    id: `required.${f.column}`,
    severity: 'error',
    kind: 'required',
    fields: [f.column],
    description: `${f.column} must be present`,
    check: (v) => (isMissing(v[f.column]) ? `${f.column} is missing` : null),
  }));
}

const TYPE_CHECKS: Readonly<Record<FieldKind, { what: string; ok: (x: Value) => boolean }>> = {
  float: { what: 'a finite number', ok: (x) => num(x) !== null },
  int: { what: 'an integer', ok: (x) => Number.isInteger(x) },
  code: { what: 'an integer code', ok: (x) => Number.isInteger(x) },
  text: {
    what: `text of at most ${TEXT_MAX_LENGTH} characters`,
    ok: (x) => typeof x === 'string' && x.length <= TEXT_MAX_LENGTH,
  },
};

/** `type.<column>` for every field, by its kind. */
export function typeRules(): Rule[] {
  return SURVEY_FIELDS.map((f) => {
    const { what, ok } = TYPE_CHECKS[f.kind];
    return {
      id: `type.${f.column}`,
      severity: 'error',
      kind: 'type',
      fields: [f.column],
      description: `${f.column} must be ${what}`,
      check: (v) => {
        const x = v[f.column];
        return isMissing(x) || ok(x) ? null : `${f.column} must be ${what}, got ${show(x)}`;
      },
    };
  });
}

const fmt = (n: number): string => n.toLocaleString('en-US');

function describeRange(r: Range): string {
  const codes = r.codes?.length ? ` or the code ${r.codes.join(', ')}` : '';
  return `${fmt(r.min)}–${fmt(r.max)}${codes}`;
}

function rangeRule(f: FieldDef): Rule {
  const r = rangeFor(f);
  const text = describeRange(r);
  return {
    id: `range.${f.column}`,
    severity: 'error',
    kind: 'range',
    fields: [f.column],
    description: `${f.column} must be within ${text}${f.unit ? ` [${f.unit}]` : ''}`,
    check: (v) => {
      const x = num(v[f.column]);
      if (x === null || (x >= r.min && x <= r.max) || r.codes?.includes(x)) return null;
      return `${f.column} = ${x} is outside ${text}`;
    },
  };
}

/** `range.<column>` for every numeric field. */
export function rangeRules(): Rule[] {
  return NUMERIC_FIELDS.map(rangeRule);
}

function enumRule(spec: EnumSpec): Rule {
  const textual = typeof spec.values[0] === 'string';
  const list = spec.values.join(', ');
  return {
    id: `enum.${spec.column}`,
    severity: 'error',
    kind: 'enum',
    fields: [spec.column],
    description: `${spec.column} must be one of ${list}`,
    check: (v) => {
      const x = v[spec.column];
      const comparable = textual ? typeof x === 'string' : Number.isInteger(x);
      if (x === null || x === undefined || !comparable || spec.values.includes(x)) return null;
      return `${spec.column} = ${show(x)} is not one of ${list}`;
    },
  };
}

/** `enum.<column>` for District and every coded field. */
export function enumRules(): Rule[] {
  return ENUMS.map(enumRule);
}
