/**
 * CSV (RFC 4180, comma separated, UTF-8, optional BOM) streamed through csv-parse: the first
 * record is the header. A row with the wrong number of cells is a row error; broken quoting is a
 * file error (the parser cannot tell where rows end any more).
 */
import { createReadStream } from 'node:fs';
import { parse, type CsvError } from 'csv-parse';
import { errorText, fileError, type SourceItem } from '../types.js';

/** Longest record accepted, characters (a survey row is ~1 KB). */
const MAX_RECORD_CHARS = 1024 * 1024;

/** Header, then rows, of a CSV spool file. */
export async function* readCsv(path: string): AsyncGenerator<SourceItem> {
  const parser = createReadStream(path).pipe(
    parse({ bom: true, relax_column_count: true, skip_empty_lines: true, max_record_size: MAX_RECORD_CHARS }),
  );
  let header: readonly string[] | undefined;
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!header) {
        header = record.map((c) => c.trim());
        yield { kind: 'columns', names: header };
        continue;
      }
      row += 1;
      if (record.length !== header.length) {
        yield {
          kind: 'bad',
          row,
          reasonCode: 'row.columns',
          message: `row has ${record.length} cells, the header has ${header.length}`,
        };
        continue;
      }
      yield { kind: 'cells', row, cells: record };
    }
  } catch (err) {
    const line = (err as CsvError)['lines'] as number | undefined;
    throw fileError('csv', `unreadable CSV${line ? ` near line ${line}` : ''}: ${errorText(err)}`, err);
  }
  if (!header) throw fileError('empty', 'the file is empty (no header row)');
}
