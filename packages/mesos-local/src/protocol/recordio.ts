/**
 * RecordIO, the framing of Mesos' streaming HTTP responses: each record is
 * `<decimal byte length>\n<record bytes>`, with no trailing delimiter. Lengths count bytes, not
 * characters, and chunk boundaries are arbitrary, so the decoder buffers bytes.
 */
export function encodeRecord(record: string | Buffer): Buffer {
  const body = Buffer.isBuffer(record) ? record : Buffer.from(record, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length}\n`, 'ascii'), body]);
}

export class RecordIoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordIoError';
  }
}

/** Longest length prefix we accept before calling the stream corrupt (20 digits covers 2^64). */
const MAX_PREFIX_DIGITS = 20;

/** Incremental decoder: feed it chunks as they arrive, get back every record they complete. */
export class RecordIoDecoder {
  private buffer: Buffer = Buffer.alloc(0);
  private expected: number | null = null;

  constructor(private readonly maxRecordBytes = 64 * 1024 * 1024) {}

  decode(chunk: Buffer): Buffer[] {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const records: Buffer[] = [];
    for (;;) {
      if (this.expected === null) {
        const nl = this.buffer.indexOf(0x0a);
        if (nl < 0) {
          if (this.buffer.length > MAX_PREFIX_DIGITS) throw new RecordIoError('RecordIO length prefix is not terminated by a newline');
          return records;
        }
        const prefix = this.buffer.subarray(0, nl).toString('ascii');
        if (!/^[0-9]+$/.test(prefix)) throw new RecordIoError(`RecordIO length prefix is not a decimal number: ${JSON.stringify(prefix.slice(0, 40))}`);
        const length = Number(prefix);
        if (length > this.maxRecordBytes) throw new RecordIoError(`RecordIO record of ${length} bytes exceeds the limit of ${this.maxRecordBytes}`);
        this.expected = length;
        this.buffer = this.buffer.subarray(nl + 1);
      }
      if (this.buffer.length < this.expected) return records;
      records.push(Buffer.from(this.buffer.subarray(0, this.expected)));
      this.buffer = this.buffer.subarray(this.expected);
      this.expected = null;
    }
  }

  /** Bytes received that do not yet form a whole record. */
  get pendingBytes(): number {
    return this.buffer.length;
  }
}
