import { MesosProtocolError } from '../errors';

/** Garbage in a RecordIO stream: the stream cannot be resynchronised and must be dropped. */
export class RecordIOError extends MesosProtocolError {}

const NEWLINE = 0x0a;
const ZERO = 0x30;
const NINE = 0x39;
/** 2^53 has 16 digits; a longer prefix can only be garbage. */
const MAX_PREFIX_DIGITS = 16;

export interface RecordIODecoderOptions {
  /** Largest record accepted; an OFFERS event for 10,000 agents is a few MB. */
  maxRecordBytes?: number;
}

/**
 * Byte-level decoder of Mesos RecordIO (`<decimal length>\n<bytes>`, repeated). Chunk boundaries are
 * arbitrary: a length prefix, or a record, can be split across any number of chunks, and one chunk
 * can hold many records. Pure: feed chunks, get whole records back.
 */
export class RecordIODecoder {
  private readonly maxRecordBytes: number;
  /** Bytes consumed so far, for error messages that point at the offending byte. */
  private offset = 0;
  private readingPrefix = true;
  private prefixValue = 0;
  private prefixDigits = 0;
  private recordLength = 0;
  private parts: Buffer[] = [];
  private partsLength = 0;

  constructor(opts: RecordIODecoderOptions = {}) {
    this.maxRecordBytes = opts.maxRecordBytes ?? 64 * 1024 * 1024;
  }

  /** Decodes one chunk; returns the records it completed, in order. Throws RecordIOError on garbage. */
  push(chunk: Uint8Array): Buffer[] {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const out: Buffer[] = [];
    let i = 0;
    while (i < buf.length) {
      if (this.readingPrefix) {
        i = this.readPrefix(buf, i);
      } else {
        i = this.readBody(buf, i, out);
      }
    }
    return out;
  }

  /** Call when the stream ends: throws if it stopped inside a record. */
  end(): void {
    if (!this.readingPrefix) {
      throw new RecordIOError(`stream ended inside a record: ${this.partsLength} of ${this.recordLength} bytes received`);
    }
    if (this.prefixDigits > 0) {
      throw new RecordIOError(`stream ended inside a length prefix ("${this.prefixValue}" without a newline)`);
    }
  }

  /** True when no partial record or prefix is buffered. */
  get idle(): boolean {
    return this.readingPrefix && this.prefixDigits === 0;
  }

  private readPrefix(buf: Buffer, start: number): number {
    for (let i = start; i < buf.length; i++) {
      const byte = buf[i];
      if (byte >= ZERO && byte <= NINE) {
        if (++this.prefixDigits > MAX_PREFIX_DIGITS) {
          throw new RecordIOError(`length prefix longer than ${MAX_PREFIX_DIGITS} digits at byte ${this.offset + i - start}`);
        }
        this.prefixValue = this.prefixValue * 10 + (byte - ZERO);
        continue;
      }
      if (byte === NEWLINE && this.prefixDigits > 0) {
        this.offset += i + 1 - start;
        this.startRecord();
        return i + 1;
      }
      const where = this.offset + i - start;
      throw new RecordIOError(byte === NEWLINE
        ? `empty length prefix at byte ${where}`
        : `expected a decimal length prefix but found byte 0x${byte.toString(16).padStart(2, '0')} at byte ${where}`);
    }
    this.offset += buf.length - start;
    return buf.length;
  }

  private startRecord(): void {
    const length = this.prefixValue;
    this.prefixValue = 0;
    this.prefixDigits = 0;
    if (length === 0) throw new RecordIOError(`record of length 0 before byte ${this.offset} (Mesos never sends one)`);
    if (length > this.maxRecordBytes) {
      throw new RecordIOError(`record of ${length} bytes exceeds the ${this.maxRecordBytes}-byte limit before byte ${this.offset}`);
    }
    this.recordLength = length;
    this.readingPrefix = false;
  }

  private readBody(buf: Buffer, start: number, out: Buffer[]): number {
    const wanted = this.recordLength - this.partsLength;
    const available = buf.length - start;
    if (this.parts.length === 0 && available >= wanted) {
      // Common case: the whole record sits in this chunk, hand out a view without copying.
      out.push(buf.subarray(start, start + wanted));
      this.finishRecord(wanted);
      return start + wanted;
    }
    const take = Math.min(wanted, available);
    this.parts.push(buf.subarray(start, start + take));
    this.partsLength += take;
    if (this.partsLength === this.recordLength) {
      out.push(Buffer.concat(this.parts, this.recordLength));
      this.parts = [];
      this.partsLength = 0;
      this.finishRecord(take);
    } else {
      this.offset += take;
    }
    return start + take;
  }

  private finishRecord(consumed: number): void {
    this.offset += consumed;
    this.readingPrefix = true;
    this.recordLength = 0;
  }
}
