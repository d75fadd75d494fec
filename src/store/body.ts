import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ObjectBody } from './types.js';

/** True for bodies whose size is known up front (bytes and strings). */
export function isBuffered(body: ObjectBody): body is Uint8Array | string {
  return typeof body === 'string' || body instanceof Uint8Array;
}

/** Bytes of a buffered body, without copying a Uint8Array. */
export function toBuffer(body: Uint8Array | string): Buffer {
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  return Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

/** A stream body passed through a byte counter that can be aborted from outside. */
export interface CountedStream {
  /** The bytes to consume. */
  readonly stream: Readable;
  /** Bytes that went through so far. */
  bytes(): number;
  /** The source's own failure, if it failed (set before `stream` errors). */
  sourceError(): Error | undefined;
  /** Destroys the stream and the source with `reason`. */
  abort(reason: Error): void;
}

/** Wraps any readable (also old-style streams) in a counting, abortable stream. */
export function countedStream(body: NodeJS.ReadableStream): CountedStream {
  const source = body instanceof Readable ? body : new Readable().wrap(body);
  let bytes = 0;
  let failure: Error | undefined;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  source.once('error', (err) => {
    failure ??= err;
  });
  // pipeline forwards a source error to `counter` and destroys both when either fails; its promise
  // is observed here only so that it never becomes an unhandled rejection.
  pipeline(source, counter).catch(() => undefined);
  return {
    stream: counter,
    bytes: () => bytes,
    sourceError: () => failure,
    abort: (reason) => {
      if (!counter.destroyed) counter.destroy(reason);
    },
  };
}
