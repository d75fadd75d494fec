/**
 * Checks an XLSX (a zip) before any XML parser sees it: the central directory must be readable
 * (a truncated file has none), entries unencrypted, their inflated sizes within the limits in all
 * and in ratio (decompression bombs), and every entry is inflated once to prove the declared
 * sizes true (yauzl refuses an entry that inflates beyond its declared size). The workbook's
 * required parts must be present.
 */
import { openPromise, type Entry, type ZipFile } from 'yauzl';
import { PipelineError } from '../errors.js';
import { errorText, fileError, type UploadLimits } from './types.js';

/** Most entries in a workbook. */
const MAX_ENTRIES = 10_000;
/** Ratios are only checked on entries above this inflated size (tiny XML parts compress well). */
const RATIO_FLOOR_BYTES = 1024 * 1024;
const REQUIRED_PARTS = ['[Content_Types].xml', 'xl/workbook.xml'];

type ZipLimits = Pick<UploadLimits, 'maxInflatedBytes' | 'maxZipRatio'>;

function checkEntry(entry: Entry, inflatedSoFar: number, limits: ZipLimits): void {
  if (entry.isEncrypted()) throw fileError('xlsx', `entry ${entry.fileName} is encrypted; password-protected workbooks are not supported`);
  if (inflatedSoFar + entry.uncompressedSize > limits.maxInflatedBytes) {
    throw fileError('zip_bomb', `the workbook inflates to more than ${limits.maxInflatedBytes} bytes`, undefined, {
      'limit-bytes': String(limits.maxInflatedBytes),
    });
  }
  const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
  if (entry.uncompressedSize > RATIO_FLOOR_BYTES && ratio > limits.maxZipRatio) {
    throw fileError(
      'zip_bomb',
      `entry ${entry.fileName} inflates ${Math.round(ratio)}:1 (limit ${limits.maxZipRatio}:1); refusing a possible decompression bomb`,
    );
  }
}

/** Inflates one entry to nowhere; yauzl errors when it yields more than its declared size. */
async function drain(zip: ZipFile, entry: Entry): Promise<void> {
  const stream = await zip.openReadStreamPromise(entry);
  for await (const _chunk of stream) {
    // counting is yauzl's job (validateEntrySizes)
  }
}

async function walk(zip: ZipFile, limits: ZipLimits): Promise<Set<string>> {
  const names = new Set<string>();
  let inflated = 0;
  for await (const entry of zip.eachEntry()) {
    if (names.size >= MAX_ENTRIES) throw fileError('zip_bomb', `the workbook has more than ${MAX_ENTRIES} entries`);
    checkEntry(entry, inflated, limits);
    inflated += entry.uncompressedSize;
    names.add(entry.fileName);
    if (!entry.fileName.endsWith('/')) await drain(zip, entry);
  }
  return names;
}

/** Throws a file-level PipelineError when the XLSX must not be parsed. */
export async function checkXlsxZip(path: string, limits: ZipLimits): Promise<void> {
  let zip: ZipFile;
  try {
    zip = await openPromise(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false });
  } catch (err) {
    throw fileError('xlsx', `unreadable XLSX (truncated or not a zip file): ${errorText(err)}`, err);
  }
  try {
    const names = await walk(zip, limits);
    const missing = REQUIRED_PARTS.filter((p) => !names.has(p));
    if (missing.length > 0) throw fileError('xlsx', `not an XLSX workbook (missing ${missing.join(', ')})`);
    if (![...names].some((n) => n.startsWith('xl/worksheets/'))) throw fileError('xlsx', 'the workbook has no worksheet');
  } catch (err) {
    if (err instanceof PipelineError) throw err;
    throw fileError('xlsx', `corrupt XLSX: ${errorText(err)}`, err);
  } finally {
    zip.close();
  }
}
