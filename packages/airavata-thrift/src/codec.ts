import { TBinaryProtocol, TBufferedTransport, TFramedTransport, TStructLike } from 'thrift';

/**
 * The generated .d.ts files declare struct fields but not the read/write methods every generated
 * struct has; this is the one place that relies on them.
 */
function asStruct(v: object, what: string): TStructLike {
  const s = v as Partial<TStructLike>;
  if (typeof s.read !== 'function' || typeof s.write !== 'function') throw new TypeError(`${what} is not a generated Thrift struct`);
  return s as TStructLike;
}

/**
 * In-memory TBinaryProtocol encoding of one struct, as Airavata serializes messaging events
 * (Message.event holds an encoded event, and the Message is encoded again as the body).
 */
export function encodeStruct(struct: object): Buffer {
  let out: Buffer = Buffer.alloc(0);
  const transport = new TBufferedTransport(undefined, (buf) => { out = buf ?? Buffer.alloc(0); });
  asStruct(struct, 'value').write(new TBinaryProtocol(transport));
  transport.flush();
  return out;
}

export class StructDecodeError extends Error {
  readonly retriable = false;
  constructor(what: string, cause: unknown) {
    super(`cannot decode ${what}: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'StructDecodeError';
  }
}

/** Decodes one struct of type `Ctor` from `buf`; truncated or malformed bytes give StructDecodeError. */
export function decodeStruct<T extends object>(Ctor: new () => T, buf: Buffer): T {
  const struct = new Ctor();
  try {
    asStruct(struct, Ctor.name).read(new TBinaryProtocol(new TFramedTransport(buf)));
  } catch (e) {
    throw new StructDecodeError(Ctor.name || 'struct', e);
  }
  return struct;
}
