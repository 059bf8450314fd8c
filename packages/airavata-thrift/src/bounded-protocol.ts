import { TBinaryProtocol, TList, TMap, TSet, TTransport, Thrift } from 'thrift';

/** What the runtime's transports really offer (the published typings omit the length argument). */
interface LengthReader {
  read(len: number): Buffer;
  readString(len: number): string;
}

/**
 * TBinaryProtocol for untrusted input: refuses any string, binary or container that declares more
 * than `maxBytes` before anything is read or allocated (a string claiming 2 GB is rejected from its
 * 4-byte length alone), and requires the strict (versioned) message header that Airavata's Java and
 * Python clients send.
 */
export class BoundedBinaryProtocol extends TBinaryProtocol {
  constructor(trans: TTransport, readonly maxBytes: number) {
    super(trans, true, true);
  }

  private checkSize(size: number, what: string): void {
    if (size < 0) throw new Thrift.TProtocolException(Thrift.TProtocolExceptionType.NEGATIVE_SIZE, `negative ${what} size ${size}`);
    if (size > this.maxBytes) {
      throw new Thrift.TProtocolException(Thrift.TProtocolExceptionType.SIZE_LIMIT, `${what} of ${size} declared, more than the ${this.maxBytes} allowed`);
    }
  }

  override readString(): string {
    const len = this.readI32();
    this.checkSize(len, 'string');
    return len === 0 ? '' : (this.getTransport() as unknown as LengthReader).readString(len);
  }

  override readBinary(): Buffer {
    const len = this.readI32();
    this.checkSize(len, 'binary');
    return len === 0 ? Buffer.alloc(0) : (this.getTransport() as unknown as LengthReader).read(len);
  }

  override readListBegin(): TList {
    const r = super.readListBegin();
    this.checkSize(r.size, 'list');
    return r;
  }

  override readSetBegin(): TSet {
    const r = super.readSetBegin();
    this.checkSize(r.size, 'set');
    return r;
  }

  override readMapBegin(): TMap {
    const r = super.readMapBegin();
    this.checkSize(r.size, 'map');
    return r;
  }
}

/** A protocol class for the runtime's `pClass` slots, bound to one size limit. */
export function boundedBinaryProtocol(maxBytes: number): new (trans: TTransport) => TBinaryProtocol {
  return class extends BoundedBinaryProtocol {
    constructor(trans: TTransport) {
      super(trans, maxBytes);
    }
  };
}
