/**
 * XLSX uploads through exceljs's streaming reader, after {@link checkXlsxZip} vetted the zip. The
 * first worksheet is read; its first non-empty row is the header. Cell values are reduced to
 * text, numbers, booleans and dates (rich text joined, formulas replaced by their result).
 */
import ExcelJS from 'exceljs';
import { PipelineError } from '../../errors.js';
import { checkXlsxZip } from '../zip-guard.js';
import { errorText, fileError, type SourceItem, type UploadLimits } from '../types.js';

/** A cell's value as text, number, boolean, Date or null. */
export function cellValue(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'object' || v instanceof Date) return v;
  const o = v as Record<string, unknown>;
  if (Array.isArray(o['richText'])) return (o['richText'] as { text?: string }[]).map((r) => r.text ?? '').join('');
  if ('result' in o) return cellValue(o['result']);
  if ('error' in o) return null; // #N/A, #DIV/0! ...: no value
  if (typeof o['text'] === 'string') return o['text'];
  return JSON.stringify(v);
}

function headerText(v: unknown): string {
  const value = cellValue(v);
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value).trim() : '';
}

function cellsOf(row: ExcelJS.Row, width: number): unknown[] {
  const values = row.values as unknown[];
  return Array.from({ length: width }, (_, i) => cellValue(values[i + 1]));
}

const blank = (cells: readonly unknown[]): boolean => cells.every((c) => c === null || (typeof c === 'string' && c.trim() === ''));

async function* sheetRows(path: string): AsyncGenerator<SourceItem> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'emit',
  });
  for await (const sheet of reader) {
    let header: string[] | undefined;
    let row = 0;
    for await (const r of sheet) {
      if (!header) {
        const names = (r.values as unknown[]).slice(1).map(headerText);
        if (blank(names)) continue;
        header = names;
        yield { kind: 'columns', names: header };
        continue;
      }
      const cells = cellsOf(r, header.length);
      if (blank(cells)) continue;
      row += 1;
      yield { kind: 'cells', row, cells };
    }
    if (!header) throw fileError('empty', 'the first worksheet is empty (no header row)');
    return; // first worksheet only
  }
  throw fileError('xlsx', 'the workbook has no worksheet');
}

/** Header, then rows, of the first worksheet, once the zip passed {@link checkXlsxZip}. */
export async function* readXlsx(path: string, limits: UploadLimits): AsyncGenerator<SourceItem> {
  await checkXlsxZip(path, limits);
  try {
    yield* sheetRows(path);
  } catch (err) {
    if (err instanceof PipelineError) throw err;
    throw fileError('xlsx', `unreadable XLSX: ${errorText(err)}`, err);
  }
}
