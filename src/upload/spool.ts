/**
 * An upload's bytes, written to a spool file as they arrive: counted against the size limit,
 * hashed (SHA-256) and, for text formats, checked to be UTF-8 on the way. Nothing of the file is
 * held in memory. The spool is checked and published from, then removed.
 */
import { createHash, type Hash } from 'node:crypto';
import { TextDecoder } from 'node:util';
import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileError } from './types.js';

/** Caller input for {@link Spool.open}. */
export interface SpoolOptions {
  /** Largest file, bytes. */
  maxBytes: number;
  /** Check that the bytes are UTF-8. */
  utf8: boolean;
}

/** A finished spool file. */
export interface SpooledFile {
  readonly path: string;
  readonly bytes: number;
  /** Hex SHA-256 of the file. */
  readonly sha256: string;
}

/** One upload's spool file. */
export class Spool {
  readonly path: string;
  readonly #file: FileHandle;
  readonly #opts: SpoolOptions;
  readonly #hash: Hash = createHash('sha256');
  readonly #decoder: TextDecoder | undefined;
  #bytes = 0;

  private constructor(path: string, file: FileHandle, opts: SpoolOptions) {
    this.path = path;
    this.#file = file;
    this.#opts = opts;
    this.#decoder = opts.utf8 ? new TextDecoder('utf-8', { fatal: true }) : undefined;
  }

  /** Creates the spool file (and its directory). */
  static async open(path: string, opts: SpoolOptions): Promise<Spool> {
    await mkdir(dirname(path), { recursive: true });
    return new Spool(path, await open(path, 'w', 0o600), opts);
  }

  /** Bytes received so far. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Appends a chunk; throws RESOURCE_EXHAUSTED over the limit, INVALID_ARGUMENT on bad UTF-8. */
  async write(chunk: Uint8Array): Promise<void> {
    if (this.#bytes + chunk.length > this.#opts.maxBytes) {
      throw fileError('too_large', `the file is larger than the limit of ${this.#opts.maxBytes} bytes`, undefined, {
        'limit-bytes': String(this.#opts.maxBytes),
      });
    }
    this.#checkUtf8(chunk, false);
    this.#hash.update(chunk);
    await this.#file.write(chunk);
    this.#bytes += chunk.length;
  }

  /** Closes the file; throws when the text ends inside a UTF-8 sequence. */
  async finish(): Promise<SpooledFile> {
    try {
      this.#checkUtf8(new Uint8Array(0), true);
    } finally {
      await this.#file.close();
    }
    return { path: this.path, bytes: this.#bytes, sha256: this.#hash.digest('hex') };
  }

  /** Closes and deletes the spool's directory. */
  async discard(): Promise<void> {
    await this.#file.close().catch(() => undefined);
    await rm(dirname(this.path), { recursive: true, force: true });
  }

  #checkUtf8(chunk: Uint8Array, end: boolean): void {
    if (!this.#decoder) return;
    try {
      this.#decoder.decode(chunk, { stream: !end });
    } catch (err) {
      throw fileError(
        'utf8',
        `the file is not valid UTF-8 (invalid bytes within bytes ${this.#bytes}-${this.#bytes + chunk.length}); save it as UTF-8`,
        err,
      );
    }
  }
}
