/**
 * Request decoding for StreamSurveys that never fails the call: grpc-js ends a call with INTERNAL
 * when a message cannot be deserialized, but one bad record of a device's backlog must only be
 * acked REJECTED. The survey's own bytes are kept and published as they came (unknown fields of a
 * newer app version included), and only the envelope fields the gateway needs are read; the
 * rest of the survey is walked to check its wire structure but not materialised (the worker
 * decodes it).
 */
import { TextDecoder } from 'node:util';
import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';

/** The envelope of a streamed survey: what the gateway routes and deduplicates on. */
export interface SurveyEnvelope {
  submissionId: string;
  deprecatedId?: string;
  district?: string;
}

/** One request of a StreamSurveys call, decoded or not. */
export type StreamRecord =
  | { readonly ok: true; readonly survey: SurveyEnvelope; readonly raw: Uint8Array }
  | { readonly ok: false; readonly reason: string; readonly field: string };

const REQUEST_SURVEY = 1;
// Field numbers in surveystream.v1.Survey.
const SUBMISSION_ID = 1;
const DEPRECATED_ID = 2;
const DISTRICT = 20;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A cursor over protobuf wire bytes that skips without allocating. */
class WireCursor {
  pos = 0;
  readonly #buf: Uint8Array;

  constructor(buf: Uint8Array) {
    this.#buf = buf;
  }

  get done(): boolean {
    return this.pos >= this.#buf.length;
  }

  /** An unsigned varint; exact up to 2^49 (field tags and lengths), skipped beyond. */
  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.#buf.length) throw new RangeError('truncated varint');
      const b = this.#buf[this.pos++]!;
      if (i < 7) result += (b & 0x7f) * scale;
      scale *= 128;
      if ((b & 0x80) === 0) return result;
    }
    throw new RangeError('varint longer than 10 bytes');
  }

  /** Start and end of a length-delimited field's bytes. */
  span(): [number, number] {
    const len = this.varint();
    const start = this.pos;
    if (start + len > this.#buf.length) throw new RangeError('length-delimited field past the end');
    this.pos += len;
    return [start, this.pos];
  }

  string(): string {
    const [start, end] = this.span();
    return utf8.decode(this.#buf.subarray(start, end));
  }

  skip(wireType: WireType): void {
    switch (wireType) {
      case WireType.Varint:
        this.varint();
        return;
      case WireType.Bit64:
        this.pos += 8;
        break;
      case WireType.LengthDelimited:
        this.span();
        return;
      case WireType.Bit32:
        this.pos += 4;
        break;
      case WireType.StartGroup:
      case WireType.EndGroup:
        throw new RangeError(`unsupported wire type ${wireType}`);
    }
    if (this.pos > this.#buf.length) throw new RangeError('fixed-size field past the end');
  }
}

/** Reads the envelope fields of encoded Survey bytes (walking all of it); throws on malformed bytes. */
export function readEnvelope(raw: Uint8Array): SurveyEnvelope {
  const c = new WireCursor(raw);
  const env: SurveyEnvelope = { submissionId: '' };
  while (!c.done) {
    const tag = c.varint();
    const field = Math.floor(tag / 8);
    const wireType = (tag & 7) as WireType;
    if (field === 0) throw new RangeError('field number 0');
    const text = wireType === WireType.LengthDelimited;
    if (field === SUBMISSION_ID && text) env.submissionId = c.string();
    else if (field === DEPRECATED_ID && text) env.deprecatedId = c.string();
    else if (field === DISTRICT && text) env.district = c.string();
    else c.skip(wireType);
  }
  return env;
}

/** Decodes a `StreamSurveysRequest`; returns a failure value instead of throwing. */
export function decodeStreamRequest(buf: Uint8Array): StreamRecord {
  try {
    const reader = new BinaryReader(buf);
    let raw: Uint8Array | undefined;
    while (reader.pos < reader.len) {
      const [field, wireType] = reader.tag();
      if (field === REQUEST_SURVEY && wireType === WireType.LengthDelimited) raw = reader.bytes();
      else reader.skip(wireType, field);
    }
    if (!raw) return { ok: false, reason: 'request has no survey', field: 'survey' };
    return { ok: true, survey: readEnvelope(raw), raw };
  } catch (err) {
    return { ok: false, reason: `undecodable request: ${(err as Error).message}`, field: 'survey' };
  }
}
