/**
 * The feature spec is DATA: a JSON-serialisable object, validated by {@link FeatureSpecSchema}, that
 * fully describes how a survey (keyed by original column names) becomes a model row. The same spec
 * drives training and scoring, and it is shipped inside the model card.
 */
import { z } from 'zod';
import { FIELD_BY_COLUMN } from '../domain/fields.js';

const Name = z.string().min(1).max(120);
const Codes = z.array(z.number()).optional();

/** `sum` of inputs; `skip` ignores missing inputs (null only if all are missing), `propagate` makes any missing input null. */
const DerivedSum = z.object({
  id: Name,
  op: z.literal('sum'),
  inputs: z.array(Name).min(1),
  missing: z.enum(['skip', 'propagate']),
  /** Input values treated as missing (sentinels such as -99). */
  missingCodes: Codes,
  description: z.string().optional(),
});

/** `numerator / denominator`; a zero denominator is replaced by `zeroDenominatorAs`, or gives null when that is absent. */
const DerivedRatio = z.object({
  id: Name,
  op: z.literal('ratio'),
  numerator: Name,
  denominator: Name,
  zeroDenominatorAs: z.number().optional(),
  description: z.string().optional(),
});

/** Number of inputs whose value is > 0 (missing counts as not positive). */
const DerivedCountPositive = z.object({
  id: Name,
  op: z.literal('count_positive'),
  inputs: z.array(Name).min(1),
  description: z.string().optional(),
});

/** Right-closed bins: `x <= edges[0]` → labels[0], …, `x > edges[last]` → labels[last]. Output is a string. */
const DerivedBins = z
  .object({
    id: Name,
    op: z.literal('bins'),
    input: Name,
    edges: z.array(z.number()).min(1),
    labels: z.array(z.string().min(1)),
    description: z.string().optional(),
  })
  .refine(
    (d) => d.labels.length === d.edges.length + 1,
    'bins: labels.length must be edges.length + 1',
  )
  .refine(
    (d) => d.edges.every((e, i) => i === 0 || e > d.edges[i - 1]!),
    'bins: edges must increase',
  );

/** A derived input: `sum`, `ratio`, `count_positive` or `bins`. */
export const DerivedSchema = z.union([DerivedSum, DerivedRatio, DerivedCountPositive, DerivedBins]);
/** A derived input definition. */
export type DerivedDef = z.infer<typeof DerivedSchema>;

/** How a missing numeric value is filled: the training median, zero, or a constant. */
export const NumericImputeSchema = z.union([z.literal('median'), z.literal('zero'), z.number()]);

/** A numeric model column: impute → (log1p) → clip → standardise. */
export const NumericFeatureSchema = z.object({
  name: Name,
  /** Original column name or a derived id. */
  source: Name,
  impute: NumericImputeSchema,
  /** Learned by `fitSpec`: the raw value used for missing inputs. */
  fill: z.number().optional(),
  /** Values treated as missing before imputation (e.g. the -99 sentinel of phones_owned). */
  missingCodes: Codes,
  /** `log1p` applies sign(x)·log(1+|x|) after imputation (money is right-skewed). */
  transform: z.literal('log1p').optional(),
  /** Applied after the transform. */
  clip: z.tuple([z.number(), z.number()]).optional(),
  /** Learned by `fitSpec` when the spec standardises: `(x - mean) / sd`. */
  scale: z.object({ mean: z.number(), sd: z.number().positive() }).optional(),
});
/** A numeric feature of a spec. */
export type NumericFeature = z.infer<typeof NumericFeatureSchema>;

/** A categorical feature, one-hot encoded in `categories` order. */
export const CategoricalFeatureSchema = z.object({
  name: Name,
  source: Name,
  /** One-hot columns in this order; when empty in a template, `fitSpec` learns them (sorted). */
  categories: z.array(z.string()),
  /** Unknown or missing value: all-zero row (`ignore`) or a trailing `__other__` column (`other`). */
  unknown: z.enum(['ignore', 'other']),
});
/** A categorical feature of a spec. */
export type CategoricalFeature = z.infer<typeof CategoricalFeatureSchema>;

/** A 0/1 feature (any positive value is 1). */
export const BinaryFeatureSchema = z.object({
  name: Name,
  source: Name,
  /** `mode` = most frequent training value. */
  impute: z.union([z.literal('mode'), z.literal('zero'), z.number()]),
  fill: z.number().optional(),
  missingCodes: Codes,
});
/** A binary feature of a spec. */
export type BinaryFeature = z.infer<typeof BinaryFeatureSchema>;

const FeatureSpecBase = z.object({
  name: Name,
  version: z.string().min(1),
  /** True when the spec uses components of the target (only for reproducing the seed). */
  leaking: z.boolean(),
  description: z.string(),
  /** Standardise numeric features with training mean/sd. */
  standardize: z.boolean(),
  /** Evaluated in order; later definitions and features may refer to earlier ids. */
  derived: z.array(DerivedSchema),
  numeric: z.array(NumericFeatureSchema),
  categorical: z.array(CategoricalFeatureSchema),
  binary: z.array(BinaryFeatureSchema),
  /** Set by `fitSpec`: number of training rows the statistics come from. */
  fittedRows: z.number().int().nonnegative().optional(),
});

/** Zod schema of a feature spec (template or fitted). */
export const FeatureSpecSchema = FeatureSpecBase.superRefine((spec, ctx) => {
  for (const issue of specIssues(spec)) ctx.addIssue({ code: 'custom', message: issue });
});
/** A feature spec (template or fitted); plain JSON data. */
export type FeatureSpec = z.infer<typeof FeatureSpecSchema>;

function inputsOf(d: DerivedDef): string[] {
  switch (d.op) {
    case 'sum':
    case 'count_positive':
      return d.inputs;
    case 'ratio':
      return [d.numerator, d.denominator];
    case 'bins':
      return [d.input];
  }
}

/** All sources a derived definition reads (columns or earlier derived ids). */
export function derivedInputs(d: DerivedDef): readonly string[] {
  return inputsOf(d);
}

function specIssues(spec: z.infer<typeof FeatureSpecBase>): string[] {
  const issues: string[] = [];
  const known = new Set<string>();
  const isKnown = (s: string): boolean => known.has(s) || FIELD_BY_COLUMN.has(s);
  for (const d of spec.derived) {
    if (known.has(d.id) || FIELD_BY_COLUMN.has(d.id))
      issues.push(`derived id "${d.id}" is not unique`);
    for (const s of inputsOf(d))
      if (!isKnown(s)) issues.push(`derived "${d.id}": unknown input "${s}"`);
    known.add(d.id);
  }
  const names = new Set<string>();
  for (const feat of [...spec.numeric, ...spec.categorical, ...spec.binary]) {
    if (names.has(feat.name)) issues.push(`feature name "${feat.name}" is not unique`);
    names.add(feat.name);
    if (!isKnown(feat.source))
      issues.push(`feature "${feat.name}": unknown source "${feat.source}"`);
  }
  for (const c of spec.categorical) {
    if (new Set(c.categories).size !== c.categories.length) {
      issues.push(`categorical "${c.name}": duplicate categories`);
    }
  }
  return issues;
}

/** Parses and validates an unknown value (e.g. JSON from a model card) as a feature spec. */
export function parseFeatureSpec(input: unknown): FeatureSpec {
  return FeatureSpecSchema.parse(input);
}
