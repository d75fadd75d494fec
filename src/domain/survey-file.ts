/**
 * Reads surveys from NDJSON or CSV files (original column names, as `surveystream generate`
 * writes them). CSV cells are typed by the field table: numbers where the field is numeric and
 * the cell parses, the raw text otherwise (validation reports it), null for a blank.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import { PipelineError } from '../errors.js';
import { FIELD_BY_COLUMN } from './fields.js';
import type { SurveyRecord } from './survey-codec.js';
import { recordFromJson } from './survey-json.js';

/** A CSV cell as a JSON value for its column. */
export function typedCell(column: string, cell: string): string | number | null {
  const trimmed = cell.trim();
  if (trimmed === '') return null;
  const field = FIELD_BY_COLUMN.get(column);
  if (field && field.kind !== 'text') {
    const n = Number(trimmed);
    return Number.isFinite(n) ? n : trimmed;
  }
  return cell;
}

async function* ndjson(path: string): AsyncGenerator<SurveyRecord> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n += 1;
    if (line.trim() === '') continue;
    try {
      yield recordFromJson(JSON.parse(line)).record;
    } catch (err) {
      throw new PipelineError('INVALID_ARGUMENT', `${path}:${n}: not a JSON survey: ${(err as Error).message}`, false, { cause: err });
    }
  }
}

async function* csv(path: string): AsyncGenerator<SurveyRecord> {
  const parser = createReadStream(path).pipe(parse({ columns: true, bom: true, skip_empty_lines: true }));
  for await (const row of parser as AsyncIterable<Record<string, string>>) {
    const obj: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) obj[k] = FIELD_BY_COLUMN.has(k) ? typedCell(k, v) : v === '' ? null : v;
    yield recordFromJson(obj).record;
  }
}

/** Surveys of a `.ndjson`/`.jsonl` or `.csv` file, in file order. */
export function readSurveyFile(path: string): AsyncGenerator<SurveyRecord> {
  if (/\.(ndjson|jsonl|json)$/i.test(path)) return ndjson(path);
  if (/\.csv$/i.test(path)) return csv(path);
  throw new PipelineError('INVALID_ARGUMENT', `${path}: unknown file type (use .ndjson, .jsonl or .csv)`, false);
}
