/**
 * The local backend: object `k` is the file `<dir>/k`, so the store can be browsed with any file
 * tool. Writes are atomic (temp file + fsync + rename); content type and metadata sit in a hidden
 * JSON sidecar that is trusted only while it names the current data file (inode and size), so a
 * crash can leave an object without its metadata but never with another version's.
 */
import { mkdir, open, rm, rmdir, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { PipelineError } from '../errors.js';
import { countedStream, isBuffered, toBuffer } from './body.js';
import { InFlight } from './in-flight.js';
import { assertValidKey, assertValidPrefix, normalizeMetadata } from './keys.js';
import { commitTemp, errno, fsError, keyPath, readSidecar, removeSidecar, writeChunks, writeSidecar, writeTemp, type Sidecar, type TempFile } from './local-files.js';
import { listFiles } from './local-list.js';
import type { ObjectBody, ObjectInfo, ObjectStore, PutOptions, PutResult } from './types.js';

const NOT_AN_OBJECT = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);

interface OpenFile {
  handle: FileHandle;
  info: ObjectInfo;
}

/** Object store on the local file system (the embedded default). Open with {@link openLocalStore}. */
export class LocalObjectStore implements ObjectStore {
  readonly kind = 'local' as const;
  readonly location: string;
  readonly #root: string;
  readonly #inFlight: InFlight;

  constructor(root: string) {
    this.#root = resolve(root);
    this.location = pathToFileURL(this.#root).href;
    this.#inFlight = new InFlight(this.location);
  }

  async put(key: string, body: ObjectBody, opts: PutOptions = {}): Promise<PutResult> {
    assertValidKey(key);
    const metadata = normalizeMetadata(opts.metadata);
    const hasSidecar = opts.contentType !== undefined || metadata !== undefined;
    return this.#inFlight.run(async () => {
      const path = keyPath(this.#root, key);
      try {
        const data = await this.#writeData(path, body);
        await this.#commit(path, data, hasSidecar ? { contentType: opts.contentType, metadata } : undefined);
        return { key, size: Number(data.stats.size) };
      } catch (err) {
        await this.#pruneEmptyDirs(dirname(path)); // directories made for a put that failed
        throw fsError(err, 'write', key);
      }
    });
  }

  async get(key: string): Promise<Buffer> {
    const file = await this.#open(key);
    try {
      return await file.handle.readFile();
    } catch (err) {
      throw fsError(err, 'read', key);
    } finally {
      await file.handle.close();
    }
  }

  async getStream(key: string): Promise<Readable> {
    const file = await this.#open(key);
    return file.handle.createReadStream(); // closes the handle at end, error or destroy
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    try {
      const file = await this.#open(key);
      await file.handle.close();
      return file.info;
    } catch (err) {
      if (err instanceof PipelineError && err.code === 'NOT_FOUND') return undefined;
      throw err;
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    assertValidPrefix(prefix);
    this.#inFlight.assertOpen();
    yield* listFiles(this.#root, prefix);
  }

  async delete(keys: string | string[]): Promise<void> {
    const all = typeof keys === 'string' ? [keys] : keys;
    for (const key of all) assertValidKey(key);
    await this.#inFlight.run(async () => {
      for (const key of all) await this.#deleteOne(key);
    });
  }

  async copy(from: string, to: string): Promise<void> {
    assertValidKey(to);
    const file = await this.#open(from);
    const { contentType, metadata } = file.info;
    const source = file.handle.createReadStream();
    try {
      await this.put(to, source, { contentType, metadata });
    } finally {
      source.destroy(); // closes the handle if put failed before reading to the end
    }
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.#inFlight.close(() => undefined);
  }

  /** Writes the body to an fsynced temp file beside `path`. Stream bodies abort on dispose. */
  async #writeData(path: string, body: ObjectBody): Promise<TempFile> {
    if (isBuffered(body)) return writeTemp(dirname(path), (h) => h.writeFile(toBuffer(body)));
    const counted = countedStream(body);
    const unregister = this.#inFlight.onAbort((reason) => counted.abort(reason));
    try {
      return await writeTemp(dirname(path), (h) => writeChunks(h, counted.stream));
    } catch (err) {
      throw counted.sourceError() ?? err;
    } finally {
      unregister();
    }
  }

  /** Sidecar first, data last: the object appears only once its metadata is in place. */
  async #commit(path: string, data: TempFile, sidecar: Omit<Sidecar, 'v' | 'ino' | 'size'> | undefined): Promise<void> {
    try {
      if (sidecar) await writeSidecar(path, data, sidecar);
      await commitTemp(data, path);
    } catch (err) {
      await rm(data.path, { force: true });
      throw err;
    }
    if (!sidecar) await removeSidecar(path); // a previous version's, now stale
  }

  /** Opens an object's data file and describes it, metadata included. NOT_FOUND when missing. */
  async #open(key: string): Promise<OpenFile> {
    assertValidKey(key);
    this.#inFlight.assertOpen();
    const path = keyPath(this.#root, key);
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (err) {
      throw fsError(err, 'read', key);
    }
    try {
      const stats = await handle.stat({ bigint: true });
      if (!stats.isFile()) throw fsError(Object.assign(new Error('not a file'), { code: 'EISDIR' }), 'read', key);
      const sidecar = await readSidecar(path, stats);
      const info: ObjectInfo = { key, size: Number(stats.size), lastModified: new Date(Number(stats.mtimeMs)) };
      if (sidecar?.metadata) info.metadata = sidecar.metadata;
      if (sidecar?.contentType !== undefined) info.contentType = sidecar.contentType;
      return { handle, info };
    } catch (err) {
      await handle.close();
      throw fsError(err, 'read', key);
    }
  }

  async #deleteOne(key: string): Promise<void> {
    const path = keyPath(this.#root, key);
    try {
      await unlink(path);
    } catch (err) {
      // Missing is already deleted; a directory (or a file on the path) under this name is no object.
      if (!NOT_AN_OBJECT.has(errno(err) ?? '')) throw fsError(err, 'write', key);
    }
    await removeSidecar(path).catch(() => undefined);
    await this.#pruneEmptyDirs(dirname(path));
  }

  /** Removes directories left empty by a delete, up to (not including) the root. */
  async #pruneEmptyDirs(dir: string): Promise<void> {
    for (let current = dir; current.startsWith(this.#root) && current !== this.#root; current = dirname(current)) {
      try {
        await rmdir(current);
      } catch {
        return; // not empty (or already gone, or busy): leave the rest
      }
    }
  }
}

/** Opens (and creates) a local store rooted at `dir`. */
export async function openLocalStore(dir: string): Promise<LocalObjectStore> {
  const store = new LocalObjectStore(dir);
  try {
    await mkdir(resolve(dir), { recursive: true });
  } catch (err) {
    throw fsError(err, 'write', dir);
  }
  return store;
}
