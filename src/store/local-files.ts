/**
 * File-level building blocks of the local backend: key → path mapping, atomic writes (temp file,
 * fsync, rename), the metadata sidecar, and errno → PipelineError translation.
 *
 * Temp files and sidecars live next to the object and start with `.~`, a segment prefix that keys
 * may not use, so they never collide with objects and `list` skips them.
 */
import { randomBytes } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import { mkdir, open, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import { PipelineError } from '../errors.js';
import { RESERVED_SEGMENT_PREFIX } from './keys.js';

/** Metadata stored beside an object, valid only for the data file it names (inode and size). */
export interface Sidecar {
  v: 1;
  ino: string;
  size: number;
  contentType?: string;
  metadata?: Record<string, string>;
}

/** A fully written, fsynced temp file waiting for its rename. */
export interface TempFile {
  path: string;
  stats: BigIntStats;
  /** The topmost directory created for it, if any (its entry must be made durable too). */
  createdDir?: string;
}

/** Maps a validated key to its file, refusing (again) anything that resolves outside `root`. */
export function keyPath(root: string, key: string): string {
  const path = join(root, ...key.split('/'));
  const rel = relative(root, path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw new PipelineError('INVALID_ARGUMENT', `object key ${JSON.stringify(key)} escapes the store`, false);
  }
  return path;
}

export function sidecarPath(path: string): string {
  return join(dirname(path), `${RESERVED_SEGMENT_PREFIX}meta.${basename(path)}.json`);
}

function tempPath(dir: string): string {
  return join(dir, `${RESERVED_SEGMENT_PREFIX}tmp.${randomBytes(8).toString('hex')}`);
}

const READ_MISSING = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);
const CONFLICT = new Set(['EISDIR', 'ENOTDIR', 'EEXIST', 'ENOTEMPTY', 'ENAMETOOLONG']);
const BUSY = new Set(['EMFILE', 'ENFILE', 'EBUSY', 'EAGAIN', 'EIO', 'EINTR']);

/** Errno of a Node fs error, if any. */
export function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/** Translates a file-system failure of a read (`missing` = NOT_FOUND) or a write of `key`. */
export function fsError(err: unknown, op: 'read' | 'write', key: string): Error {
  if (err instanceof PipelineError) return err;
  const code = errno(err) ?? '';
  const options = { cause: err, details: { key, errno: code } };
  if (op === 'read' && READ_MISSING.has(code)) return new PipelineError('NOT_FOUND', `object ${key} not found`, false, options);
  if (op === 'write' && CONFLICT.has(code)) {
    return new PipelineError('INVALID_ARGUMENT', `object ${key} clashes with an existing file or directory (${code})`, false, options);
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new PipelineError('CONFIG', `no permission to ${op} object ${key} (${code})`, false, options);
  }
  if (code === 'ENOSPC' || code === 'EDQUOT') return new PipelineError('RESOURCE_EXHAUSTED', `disk full writing ${key}`, true, options);
  if (BUSY.has(code)) return new PipelineError('UNAVAILABLE', `file system busy on ${key} (${code})`, true, options);
  return new PipelineError('INTERNAL', `cannot ${op} object ${key}: ${(err as Error).message}`, false, options);
}

/**
 * Creates `dir` and a new temp file in it. A concurrent delete may remove the empty directory
 * between the two steps, so ENOENT is retried.
 */
async function openTemp(dir: string): Promise<{ path: string; handle: FileHandle; createdDir?: string }> {
  let createdDir: string | undefined;
  for (let attempt = 1; ; attempt++) {
    createdDir = (await mkdir(dir, { recursive: true })) ?? createdDir;
    const path = tempPath(dir);
    try {
      return { path, handle: await open(path, 'wx', 0o644), createdDir };
    } catch (err) {
      if (errno(err) !== 'ENOENT' || attempt >= 3) throw err;
    }
  }
}

/**
 * Writes a temp file in `dir` with `fill`, fsyncs it and returns it unrenamed. On failure the temp
 * file is removed, so a crash or an error never leaves a half object under its key.
 */
export async function writeTemp(dir: string, fill: (handle: FileHandle) => Promise<void>): Promise<TempFile> {
  const { path, handle, createdDir } = await openTemp(dir);
  try {
    await fill(handle);
    await handle.sync();
    const stats = await handle.stat({ bigint: true });
    await handle.close();
    return createdDir === undefined ? { path, stats } : { path, stats, createdDir };
  } catch (err) {
    await handle.close().catch(() => undefined);
    await rm(path, { force: true });
    throw err;
  }
}

/**
 * Copies a byte stream into an open file. (A FileHandle write stream would keep the handle
 * referenced, so it could not be fsynced and closed here.)
 */
export async function writeChunks(handle: FileHandle, source: AsyncIterable<Buffer>): Promise<void> {
  for await (const chunk of source) {
    for (let offset = 0; offset < chunk.length; ) {
      const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
      offset += bytesWritten;
    }
  }
}

/** fsyncs a directory, so that entries renamed or created in it survive a power loss. */
async function syncDir(dir: string): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(dir, 'r');
  } catch (err) {
    if (errno(err) === 'EISDIR' || errno(err) === 'EPERM') return; // platforms without directory handles
    throw err;
  }
  try {
    await handle.sync();
  } catch (err) {
    if (!['EINVAL', 'EBADF', 'EPERM', 'EISDIR'].includes(errno(err) ?? '')) throw err; // cannot sync directories here
  } finally {
    await handle.close();
  }
}

/**
 * Moves a temp file to its final name (atomic within one file system), then syncs the directory
 * entries up to the topmost directory created for it: the caller may acknowledge upstream (e.g.
 * ack JetStream) as soon as this returns.
 */
export async function commitTemp(temp: TempFile, path: string): Promise<void> {
  try {
    await rename(temp.path, path);
  } catch (err) {
    await rm(temp.path, { force: true });
    throw err;
  }
  const top = temp.createdDir === undefined ? dirname(path) : dirname(temp.createdDir);
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    await syncDir(dir);
    if (dir === top || dir === dirname(dir)) break;
  }
}

/** Writes the sidecar for the data file `data` that will be renamed to `path`. */
export async function writeSidecar(path: string, data: TempFile, sidecar: Omit<Sidecar, 'v' | 'ino' | 'size'>): Promise<void> {
  const body: Sidecar = { v: 1, ino: data.stats.ino.toString(), size: Number(data.stats.size), ...sidecar };
  const temp = await writeTemp(dirname(path), (h) => h.writeFile(JSON.stringify(body)));
  await commitTemp(temp, sidecarPath(path));
}

/** The sidecar of the data file described by `stats`, or undefined if missing or stale. */
export async function readSidecar(path: string, stats: BigIntStats): Promise<Sidecar | undefined> {
  let parsed: Partial<Sidecar>;
  try {
    parsed = JSON.parse(await readFile(sidecarPath(path), 'utf8')) as Partial<Sidecar>;
  } catch {
    return undefined; // missing or torn: the object simply has no metadata
  }
  const current = parsed.ino === stats.ino.toString() && parsed.size === Number(stats.size);
  return current ? (parsed as Sidecar) : undefined;
}

/** Removes a sidecar if there is one. */
export async function removeSidecar(path: string): Promise<void> {
  await rm(sidecarPath(path), { force: true });
}
