import { TBinaryProtocol, TFramedTransport, Thrift } from 'thrift';

/** Thrift binary type codes, as written on the wire. */
export const T = { STOP: 0, BOOL: 2, BYTE: 3, DOUBLE: 4, I16: 6, I32: 8, I64: 10, STRING: 11, STRUCT: 12, MAP: 13, SET: 14, LIST: 15 } as const;

/** Builds raw TBinaryProtocol bytes by hand, for fixtures the generated code would never write. */
export class Bytes {
  private parts: Buffer[] = [];
  i8(v: number): this { const b = Buffer.alloc(1); b.writeInt8(v); this.parts.push(b); return this; }
  i16(v: number): this { const b = Buffer.alloc(2); b.writeInt16BE(v); this.parts.push(b); return this; }
  i32(v: number): this { const b = Buffer.alloc(4); b.writeInt32BE(v); this.parts.push(b); return this; }
  i64(v: number): this { const b = Buffer.alloc(8); b.writeBigInt64BE(BigInt(v)); this.parts.push(b); return this; }
  raw(buf: Buffer): this { this.parts.push(buf); return this; }
  str(s: string): this { const b = Buffer.from(s, 'utf8'); return this.i32(b.length).raw(b); }
  field(type: number, id: number): this { return this.i8(type).i16(id); }
  stop(): this { return this.i8(T.STOP); }
  /** A strict (versioned) message header: VERSION_1 | type, name, seqid. */
  message(name: string, type: number, seqid: number): this { return this.i32((0x80010000 | type) >> 0).str(name).i32(seqid); }
  build(): Buffer { return Buffer.concat(this.parts); }
}

/** The (id, type) of every top-level field of one encoded struct, in wire order. */
export function fieldHeaders(buf: Buffer): Array<{ id: number; type: number }> {
  const p = new TBinaryProtocol(new TFramedTransport(buf));
  const out: Array<{ id: number; type: number }> = [];
  p.readStructBegin();
  for (;;) {
    const f = p.readFieldBegin();
    if (f.ftype === Thrift.Type.STOP) break;
    out.push({ id: f.fid, type: f.ftype });
    p.skip(f.ftype);
  }
  return out;
}
