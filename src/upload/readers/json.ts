/**
 * JSON uploads: one array of survey objects, streamed element by element (stream-json), or NDJSON
 * (one object per line, read line by line). A top-level value that is not an array, or broken JSON
 * syntax in an array file, is a file error; a bad NDJSON line is a row error.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import streamArray from 'stream-json/streamers/stream-array.js';
import { errorText, fileError, type SourceItem } from '../types.js';

/** The elements of a JSON array file, one row each. */
export async function* readJsonArray(path: string): AsyncGenerator<SourceItem> {
  const source = createReadStream(path);
  const items = streamArray.withParserAsStream();
  source.on('error', (err) => items.destroy(err));
  source.pipe(items);
  try {
    for await (const item of items as AsyncIterable<{ key: number; value: unknown }>) {
      yield { kind: 'object', row: item.key + 1, value: item.value };
    }
  } catch (err) {
    throw fileError('json', `unreadable JSON (the file must be one array of objects): ${errorText(err)}`, err);
  } finally {
    source.destroy();
  }
}

/** The lines of an NDJSON file, one row each (a line that is not JSON is a bad row). */
export async function* readNdjson(path: string): AsyncGenerator<SourceItem> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let row = 0;
  let first = true;
  for await (const raw of lines) {
    const line = first ? raw.replace(/^\uFEFF/, '') : raw;
    first = false;
    if (line.trim() === '') continue;
    row += 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      yield { kind: 'bad', row, reasonCode: 'row.json', message: `line is not JSON: ${errorText(err)}` };
      continue;
    }
    yield { kind: 'object', row, value };
  }
}
