/**
 * Key, prefix and metadata rules shared by both backends, so a key valid on one is valid on the
 * other. The local backend relies on them to keep every key inside its directory.
 */
import { PipelineError } from '../errors.js';

/** Segments starting with this are reserved for the local backend's temp and sidecar files. */
export const RESERVED_SEGMENT_PREFIX = '.~';

const MAX_KEY_BYTES = 1024; // S3's limit
const MAX_SEGMENT_BYTES = 255; // common file-name limit
const MAX_METADATA_BYTES = 2048; // S3's limit on user metadata
const METADATA_KEY = /^[a-z0-9][a-z0-9._-]*$/;
const PRINTABLE_ASCII = /^[\u0020-\u007e]*$/;

function invalid(message: string, key: string): PipelineError {
  return new PipelineError('INVALID_ARGUMENT', message, false, { details: { key: key.slice(0, 200) } });
}

/** C0 controls (NUL included) and DEL: never valid in a key, and unsafe in file names and logs. */
function hasControlChar(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

function segmentProblem(segment: string): string | undefined {
  if (segment === '') return 'has an empty segment (leading, trailing or double "/")';
  if (segment === '.' || segment === '..') return 'has a "." or ".." segment';
  if (segment.startsWith(RESERVED_SEGMENT_PREFIX)) return `has a segment starting with "${RESERVED_SEGMENT_PREFIX}" (reserved)`;
  if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) return `has a segment over ${MAX_SEGMENT_BYTES} bytes`;
  return undefined;
}

function characterProblem(text: string): string | undefined {
  if (hasControlChar(text)) return 'contains a NUL or control character';
  if (text.includes('\\')) return 'contains a backslash (use "/")';
  if (text.startsWith('/')) return 'is absolute';
  if (Buffer.byteLength(text) > MAX_KEY_BYTES) return `is over ${MAX_KEY_BYTES} bytes`;
  return undefined;
}

/**
 * Throws `INVALID_ARGUMENT` unless `key` is a relative `/`-separated path with non-empty segments,
 * no `.`/`..`, no control characters or backslashes, and at most 1024 bytes.
 */
export function assertValidKey(key: string): void {
  if (typeof key !== 'string' || key === '') throw invalid('object key is empty', '');
  const problem = characterProblem(key) ?? key.split('/').map(segmentProblem).find((p) => p !== undefined);
  if (problem) throw invalid(`object key ${JSON.stringify(key)} ${problem}`, key);
}

/**
 * Throws `INVALID_ARGUMENT` unless `prefix` is `''` or a key prefix: the same rules as keys, except
 * that it may end with `/` and its last segment may be partial.
 */
export function assertValidPrefix(prefix: string): void {
  if (prefix === '') return;
  const trimmed = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  const problem = characterProblem(prefix) ?? trimmed.split('/').map(segmentProblem).find((p) => p !== undefined);
  if (problem) throw invalid(`object key prefix ${JSON.stringify(prefix)} ${problem}`, prefix);
}

/**
 * Validates user metadata and returns it with lower-cased keys (S3 lower-cases them on the wire,
 * so the local backend does too). Values must be printable ASCII: S3 sends them as HTTP headers.
 * Empty metadata is no metadata (`undefined`), as S3 reports it.
 */
export function normalizeMetadata(metadata: Record<string, string> | undefined): Record<string, string> | undefined {
  if (metadata === undefined) return undefined;
  const out: Record<string, string> = {};
  let bytes = 0;
  for (const [rawKey, value] of Object.entries(metadata)) {
    const key = rawKey.toLowerCase();
    if (!METADATA_KEY.test(key)) throw invalid(`metadata key ${JSON.stringify(rawKey)} must match [a-z0-9._-]`, rawKey);
    if (typeof value !== 'string' || !PRINTABLE_ASCII.test(value)) {
      throw invalid(`metadata value of ${JSON.stringify(rawKey)} must be printable ASCII`, rawKey);
    }
    bytes += key.length + value.length;
    out[key] = value;
  }
  if (bytes > MAX_METADATA_BYTES) throw invalid(`metadata is over ${MAX_METADATA_BYTES} bytes`, '');
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Orders keys as S3 does: by their UTF-8 bytes. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
