/**
 * Parquet uploads, read from the spool file one row group at a time (hyparquet). The footer is
 * read first: a truncated file has none and is refused before any row is read. Only flat schemas
 * (one column per survey field) are accepted.
 */
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema, type FileMetaData } from 'hyparquet';
import { errorText, fileError, type SourceItem } from '../types.js';

async function metadataOf(path: string): Promise<{ file: Awaited<ReturnType<typeof asyncBufferFromFile>>; metadata: FileMetaData }> {
  const file = await asyncBufferFromFile(path);
  try {
    return { file, metadata: await parquetMetadataAsync(file) };
  } catch (err) {
    throw fileError('parquet', `unreadable Parquet (truncated or not a Parquet file): ${errorText(err)}`, err);
  }
}

function columnNames(metadata: FileMetaData): string[] {
  const tree = parquetSchema(metadata);
  return tree.children.map((child) => {
    if (child.children.length > 0) {
      throw fileError('parquet', `column "${child.element.name}" is nested; survey files need flat columns`);
    }
    return child.element.name;
  });
}

function readRows(opts: Parameters<typeof parquetRead>[0]): Promise<unknown[][]> {
  return new Promise((resolve, reject) => {
    parquetRead({ ...opts, rowFormat: 'array', onComplete: (rows) => resolve(rows) }).catch(reject);
  });
}

/** Column names, then rows, of a Parquet spool file, one row group at a time. */
export async function* readParquet(path: string): AsyncGenerator<SourceItem> {
  const { file, metadata } = await metadataOf(path);
  const names = columnNames(metadata);
  yield { kind: 'columns', names };
  let start = 0;
  for (const group of metadata.row_groups) {
    const end = start + Number(group.num_rows);
    let rows: unknown[][];
    try {
      rows = await readRows({ file, metadata, rowStart: start, rowEnd: end });
    } catch (err) {
      throw fileError('parquet', `unreadable Parquet row group (rows ${start + 1}-${end}): ${errorText(err)}`, err);
    }
    for (const [i, cells] of rows.entries()) yield { kind: 'cells', row: start + i + 1, cells };
    start = end;
  }
}
