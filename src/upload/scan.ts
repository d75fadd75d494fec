/**
 * One pass over a spooled file: rows converted to records or row errors, with the file-level
 * checks (columns, row limit, empty file). The upload reads a file twice through this — once to
 * decide whether the file is acceptable and count its rows, once to publish — so both passes see
 * exactly the same rows.
 */
import type { UploadFormat } from './formats.js';
import { planColumns, requireColumns, type ColumnPlan } from './columns.js';
import { readSource } from './readers/index.js';
import { convertCells, convertObject, type ConvertedRow, type KeyTracker, type RowDefaults, type RowError } from './rows.js';
import { fileError, type SourceItem, type UploadLimits } from './types.js';

/** What a pass needs. */
export interface ScanContext {
  readonly format: UploadFormat;
  readonly path: string;
  readonly limits: UploadLimits;
  readonly defaults: RowDefaults;
}

/** Filled during a pass; complete once it ends. */
export interface ScanSummary {
  unknownColumns: string[];
}

class RowConverter {
  #plan: ColumnPlan | undefined;
  #names: readonly string[] = [];
  readonly keys: KeyTracker = { seenColumns: new Set(), unknown: new Set() };
  readonly #defaults: RowDefaults;
  readonly #summary: ScanSummary;

  constructor(defaults: RowDefaults, summary: ScanSummary) {
    this.#defaults = defaults;
    this.#summary = summary;
  }

  /** The converted row of an item; undefined for the header. */
  convert(item: SourceItem): ConvertedRow | undefined {
    switch (item.kind) {
      case 'columns':
        this.#plan = planColumns(item.names);
        this.#names = item.names;
        this.#summary.unknownColumns = [...this.#plan.unknown];
        return undefined;
      case 'cells':
        if (!this.#plan) throw fileError('header', 'rows before the header');
        return convertCells(item.row, item.cells, this.#plan, this.#names, this.#defaults);
      case 'object':
        return convertObject(item.row, item.value, this.#defaults, this.keys);
      case 'bad': {
        const error: RowError = { row: item.row, submissionId: '', column: '', reasonCode: item.reasonCode, message: item.message };
        return { ok: false, row: item.row, errors: [error] };
      }
    }
  }

  /** End-of-file checks of the JSON formats, whose columns are only known row by row. */
  finish(rows: number): void {
    if (this.#plan) return;
    if (rows > 0) requireColumns(this.keys.seenColumns);
    this.#summary.unknownColumns = [...this.keys.unknown];
  }
}

/** Yields every data row of the file, converted; throws a file-level error when the file is unacceptable. */
export async function* scanRows(ctx: ScanContext, summary: ScanSummary): AsyncGenerator<ConvertedRow> {
  const converter = new RowConverter(ctx.defaults, summary);
  let rows = 0;
  for await (const item of readSource(ctx.format, ctx.path, ctx.limits)) {
    const converted = converter.convert(item);
    if (!converted) continue;
    rows += 1;
    if (rows > ctx.limits.maxRows) {
      throw fileError('too_many_rows', `the file has more than ${ctx.limits.maxRows} rows`, undefined, {
        'limit-rows': String(ctx.limits.maxRows),
      });
    }
    yield converted;
  }
  if (rows === 0) throw fileError('empty', 'the file has no data rows');
  converter.finish(rows);
}

/** Result of the checking pass. */
export interface CheckReport {
  readonly rowsReceived: number;
  readonly rowsValid: number;
  readonly rowsRejected: number;
  /** Rejected rows per reason code (a row counts once per reason). */
  readonly reasons: Readonly<Record<string, number>>;
  /** The first row errors, up to `maxErrors`. */
  readonly errors: readonly RowError[];
  readonly unknownColumns: readonly string[];
}

/** The checking pass: counts rows, collects row errors; throws on a file-level error. */
export async function checkFile(ctx: ScanContext, maxErrors = 1000): Promise<CheckReport> {
  const summary: ScanSummary = { unknownColumns: [] };
  const reasons: Record<string, number> = {};
  const errors: RowError[] = [];
  let received = 0;
  let rejected = 0;
  for await (const row of scanRows(ctx, summary)) {
    received += 1;
    if (row.ok) continue;
    rejected += 1;
    for (const code of new Set(row.errors.map((e) => e.reasonCode))) reasons[code] = (reasons[code] ?? 0) + 1;
    for (const e of row.errors) if (errors.length < maxErrors) errors.push(e);
  }
  return {
    rowsReceived: received,
    rowsValid: received - rejected,
    rowsRejected: rejected,
    reasons,
    errors,
    unknownColumns: summary.unknownColumns,
  };
}
