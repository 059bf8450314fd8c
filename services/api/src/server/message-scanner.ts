/**
 * Finds where each TBinaryProtocol call ends in an unframed byte stream, incrementally: every byte
 * is looked at once, however the stream is chunked. The runtime's buffered receiver instead
 * re-decodes a partial message from its start on every chunk, which makes a large message of many
 * small fields cost quadratic time (measured here: 35 s for 16 MB) while every other client waits.
 * The scanner also refuses garbage early, from headers and declared sizes alone.
 */

/** Thrift binary type codes. */
const T = { STOP: 0, BOOL: 2, BYTE: 3, DOUBLE: 4, I16: 6, I32: 8, I64: 10, STRING: 11, STRUCT: 12, MAP: 13, SET: 14, LIST: 15, UUID: 16 } as const;
const FIXED_SIZE: Readonly<Record<number, number>> = { [T.BOOL]: 1, [T.BYTE]: 1, [T.I16]: 2, [T.I32]: 4, [T.I64]: 8, [T.DOUBLE]: 8, [T.UUID]: 16 };
const VERSION_MASK = 0xffff0000 | 0;
const VERSION_1 = 0x80010000 | 0;
/** Method names are short; a longer one is garbage. */
const MAX_NAME_BYTES = 1024;
/** Nesting deeper than this is refused (the runtime's skip allows as much; Airavata's structs nest ~8 deep). */
export const MAX_DEPTH = 64;

export class ScanError extends Error {
  readonly retriable = false;
  constructor(message: string) {
    super(message);
    this.name = 'ScanError';
  }
}

type Frame =
  | { kind: 'struct' }
  | { kind: 'list'; etype: number; left: number }
  /** `left` counts keys and values: 2 per entry. */
  | { kind: 'map'; ktype: number; vtype: number; left: number };

type Phase = 'version' | 'name-length' | 'name' | 'seqid' | 'body';

/**
 * Feed it the stream's bytes, chunk by chunk, in one buffer that only grows at its end and is
 * shifted by `consumed` (see MessageStream). `scan` returns the end offset of the next complete
 * message, or undefined when more bytes are needed.
 */
export class MessageScanner {
  private phase: Phase = 'version';
  private pos = 0;
  private skip = 0;
  private readonly stack: Frame[] = [];

  constructor(private readonly maxMessageBytes: number) {}

  /** How far into the unconsumed bytes it has looked (it never looks at a byte twice). */
  position(): number {
    return this.pos;
  }

  /** The bytes before `n` were removed from the front of the buffer. */
  shift(n: number): void {
    this.pos -= n;
  }

  /** Scans `buf` (the unconsumed stream) from where it stopped; returns the end of the next message. */
  scan(buf: Buffer): number | undefined {
    for (;;) {
      if (this.pos > this.maxMessageBytes) throw new ScanError(`message larger than the ${this.maxMessageBytes} bytes allowed`);
      if (this.skip > 0) {
        const n = Math.min(this.skip, buf.length - this.pos);
        this.pos += n;
        this.skip -= n;
        if (this.skip > 0) return undefined;
      }
      const avail = buf.length - this.pos;
      switch (this.phase) {
        case 'version': {
          if (avail < 4) return undefined;
          const v = buf.readInt32BE(this.pos);
          if (v >= 0 || (v & VERSION_MASK) !== VERSION_1) throw new ScanError(`not a strict TBinaryProtocol message header (0x${(v >>> 0).toString(16).padStart(8, '0')})`);
          this.pos += 4;
          this.phase = 'name-length';
          break;
        }
        case 'name-length': {
          if (avail < 4) return undefined;
          const len = buf.readInt32BE(this.pos);
          if (len < 0 || len > MAX_NAME_BYTES) throw new ScanError(`method name of ${len} bytes declared`);
          this.pos += 4;
          this.skip = len;
          this.phase = 'seqid';
          break;
        }
        case 'seqid': {
          if (avail < 4) return undefined;
          this.pos += 4;
          this.stack.push({ kind: 'struct' });
          this.phase = 'body';
          break;
        }
        case 'body': {
          const top = this.stack[this.stack.length - 1];
          if (!top) {
            const end = this.pos;
            this.phase = 'version';
            return end;
          }
          if (!this.step(top, buf, avail)) return undefined;
          break;
        }
        default:
          throw new ScanError(`scanner in unknown phase ${String(this.phase)}`);
      }
    }
  }

  /** Consumes one element of the innermost container; false when its bytes have not all arrived. */
  private step(top: Frame, buf: Buffer, avail: number): boolean {
    if (top.kind === 'struct') {
      if (avail < 1) return false;
      const type = buf[this.pos];
      if (type === T.STOP) {
        this.pos += 1;
        this.stack.pop();
        return true;
      }
      if (avail < 3) return false;
      if (!this.canStart(type, buf, avail - 3, this.pos + 3)) return false;
      this.pos += 3;
      this.start(type, buf);
      return true;
    }
    if (top.left === 0) {
      this.stack.pop();
      return true;
    }
    const type = top.kind === 'list' ? top.etype : (top.left % 2 === 0 ? top.ktype : top.vtype);
    if (!this.canStart(type, buf, avail, this.pos)) return false;
    top.left -= 1;
    this.start(type, buf);
    return true;
  }

  /** Whether the header bytes a value of `type` needs (at `at`) have arrived; refuses unknown types. */
  private canStart(type: number, buf: Buffer, avail: number, at: number): boolean {
    if (FIXED_SIZE[type] !== undefined || type === T.STRUCT) return true;
    if (type === T.STRING) return avail >= 4;
    if (type === T.LIST || type === T.SET) return avail >= 5;
    if (type === T.MAP) return avail >= 6;
    throw new ScanError(`invalid wire type ${type} at byte ${at - 1}`);
  }

  private size(buf: Buffer, at: number, what: string): number {
    const n = buf.readInt32BE(at);
    if (n < 0) throw new ScanError(`negative ${what} size ${n}`);
    if (n > this.maxMessageBytes) throw new ScanError(`${what} of ${n} declared, more than the ${this.maxMessageBytes} bytes allowed`);
    return n;
  }

  private elementType(type: number): number {
    if (FIXED_SIZE[type] === undefined && ![T.STRING, T.STRUCT, T.MAP, T.SET, T.LIST].includes(type as never)) throw new ScanError(`invalid element type ${type}`);
    return type;
  }

  private push(f: Frame): void {
    if (this.stack.length >= MAX_DEPTH) throw new ScanError(`nesting deeper than ${MAX_DEPTH}`);
    this.stack.push(f);
  }

  /** Starts a value of `type` at pos (its header bytes are known to be there). */
  private start(type: number, buf: Buffer): void {
    const fixed = FIXED_SIZE[type];
    if (fixed !== undefined) {
      this.skip = fixed;
    } else if (type === T.STRING) {
      this.skip = this.size(buf, this.pos, 'string');
      this.pos += 4;
    } else if (type === T.STRUCT) {
      this.push({ kind: 'struct' });
    } else if (type === T.LIST || type === T.SET) {
      const etype = this.elementType(buf[this.pos]);
      const left = this.size(buf, this.pos + 1, 'list');
      this.pos += 5;
      this.push({ kind: 'list', etype, left });
    } else {
      const ktype = this.elementType(buf[this.pos]);
      const vtype = this.elementType(buf[this.pos + 1]);
      const entries = this.size(buf, this.pos + 2, 'map');
      this.pos += 6;
      this.push({ kind: 'map', ktype, vtype, left: entries * 2 });
    }
  }
}

/**
 * The unconsumed bytes of one connection and the scanner over them: `push` a chunk, get back the
 * complete messages it finished (copied out, in order).
 */
export class MessageStream {
  private buf = Buffer.alloc(0);
  private len = 0;
  private readonly scanner: MessageScanner;

  constructor(private readonly maxMessageBytes: number) {
    this.scanner = new MessageScanner(maxMessageBytes);
  }

  push(chunk: Buffer): Buffer[] {
    if (this.len + chunk.length > this.buf.length) {
      // Grow geometrically: appending stays linear overall. A message may not exceed the limit,
      // so neither does the buffer (plus the chunk that proves it too large).
      let size = Math.max(1024, this.buf.length);
      while (size < this.len + chunk.length) size *= 2;
      const next = Buffer.allocUnsafe(Math.min(size, Math.max(this.len + chunk.length, this.maxMessageBytes + chunk.length)));
      this.buf.copy(next, 0, 0, this.len);
      this.buf = next;
    }
    chunk.copy(this.buf, this.len);
    this.len += chunk.length;
    const messages: Buffer[] = [];
    let start = 0;
    for (;;) {
      const end = this.scanner.scan(this.buf.subarray(start, this.len));
      if (end === undefined) break;
      messages.push(Buffer.from(this.buf.subarray(start, start + end)));
      start += end;
      this.scanner.shift(end);
    }
    if (start > 0) {
      this.buf.copy(this.buf, 0, start, this.len);
      this.len -= start;
    }
    return messages;
  }

  /** Bytes received but not yet part of a complete message. */
  pending(): number {
    return this.len;
  }

  /** Of the pending bytes, how many the scanner has already looked at. */
  scanned(): number {
    return this.scanner.position();
  }
}
