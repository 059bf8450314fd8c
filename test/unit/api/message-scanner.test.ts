import assert from 'node:assert/strict';
import { AuthzToken, encodeStruct, exampleExperiment } from '@msched/airavata-thrift';
import { MAX_DEPTH, MessageStream, ScanError } from '@msched/api';
import { Bytes, T } from '../thrift/wire';

const CALL = 1;
const call = (name: string, seqid: number, args: Buffer) => new Bytes().message(name, CALL, seqid).raw(args).build();
const launchArgs = () => new Bytes().field(T.STRUCT, 1).raw(encodeStruct(new AuthzToken({ accessToken: 't', claimsMap: { a: 'b' } })))
  .field(T.STRUCT, 2).raw(encodeStruct(exampleExperiment())).stop().build();

/** Every wire type, nested: what the scanner must step over exactly as TBinaryProtocol.skip would. */
const everyType = () => new Bytes()
  .field(T.BOOL, 1).i8(1).field(T.BYTE, 2).i8(-3).field(T.I16, 3).i16(7).field(T.I32, 4).i32(9).field(T.I64, 5).i64(11)
  .field(T.DOUBLE, 6).i64(0).field(T.STRING, 7).str('héllo').field(16, 8).raw(Buffer.alloc(16, 1))
  .field(T.LIST, 9).i8(T.STRUCT).i32(2).field(T.STRING, 1).str('x').stop().stop()
  .field(T.SET, 10).i8(T.I32).i32(3).i32(1).i32(2).i32(3)
  .field(T.MAP, 11).i8(T.STRING).i8(T.LIST).i32(1).str('k').i8(T.I64).i32(2).i64(1).i64(2)
  .field(T.LIST, 12).i8(T.STRING).i32(0)
  .field(T.STRUCT, 13).field(T.STRUCT, 1).stop().stop()
  .stop().build();

function feed(chunks: Buffer[], max = 1 << 20): Buffer[] {
  const s = new MessageStream(max);
  return chunks.flatMap((c) => s.push(c));
}

describe('message scanner (unframed TBinaryProtocol)', () => {
  it('finds a whole call however the bytes are split', () => {
    const m = call('launchExperiment', 1, launchArgs());
    assert.deepEqual(feed([m]), [m]);
    for (let cut = 1; cut < m.length; cut++) assert.deepEqual(feed([m.subarray(0, cut), m.subarray(cut)]), [m], `split at ${cut}`);
    assert.deepEqual(feed([...m].map((b) => Buffer.from([b]))), [m], 'byte by byte');
  });

  it('steps over every wire type, nested, exactly', () => {
    const m = call('anything', 2, everyType());
    for (let cut = 0; cut <= m.length; cut++) assert.deepEqual(feed([m.subarray(0, cut), m.subarray(cut)]), [m], `split at ${cut}`);
  });

  it('separates pipelined calls and keeps the start of the next one', () => {
    const a = call('getAPIVersion', 1, new Bytes().stop().build());
    const b = call('launchExperiment', 2, launchArgs());
    const s = new MessageStream(1 << 20);
    const both = Buffer.concat([a, b]);
    assert.deepEqual(s.push(both.subarray(0, a.length + 10)), [a]);
    assert.equal(s.pending(), 10);
    assert.deepEqual(s.push(both.subarray(a.length + 10)), [b]);
    assert.equal(s.pending(), 0);
  });

  it('refuses garbage from its headers and declared sizes alone', () => {
    const refuse = (bytes: Buffer, why: RegExp, max = 1 << 20) => assert.throws(() => feed([bytes], max), (e: unknown) => e instanceof ScanError && why.test(e.message));
    refuse(new Bytes().str('getAPIVersion').i8(CALL).i32(1).build(), /not a strict TBinaryProtocol message header/);
    refuse(new Bytes().i32(0x80020001 | 0).build(), /not a strict/);
    refuse(new Bytes().i32(0x80010001 | 0).i32(-1).build(), /method name of -1 bytes/);
    refuse(new Bytes().i32(0x80010001 | 0).i32(5000).build(), /method name of 5000 bytes/);
    refuse(call('x', 1, new Bytes().field(T.STRING, 1).i32(0x7fffffff).build()), /string of 2147483647 declared, more than the 1048576 bytes allowed/);
    refuse(call('x', 1, new Bytes().field(T.LIST, 1).i8(T.BOOL).i32(1_000_000_000).build()), /list of 1000000000 declared/);
    refuse(call('x', 1, new Bytes().field(T.MAP, 1).i8(T.STRING).i8(T.STRING).i32(-2).build()), /negative map size/);
    refuse(call('x', 1, new Bytes().field(99, 1).build()), /invalid wire type 99/);
    refuse(call('x', 1, new Bytes().field(T.LIST, 1).i8(1).i32(1).build()), /invalid element type 1/);
    const deep = new Bytes();
    for (let i = 0; i < MAX_DEPTH + 1; i++) deep.field(T.STRUCT, 1);
    refuse(call('x', 1, deep.build()), new RegExp(`nesting deeper than ${MAX_DEPTH}`));
  });

  it('refuses a message growing past the limit before it ends', () => {
    const big = call('x', 1, new Bytes().field(T.STRING, 1).str('y'.repeat(5000)).stop().build());
    assert.throws(() => feed([big.subarray(0, 3000), big.subarray(3000)], 2048), /larger than the 2048 bytes allowed|string of 5000 declared/);
    const many = new Bytes();
    for (let i = 0; i < 1000; i++) many.field(T.I32, 1).i32(i);
    assert.throws(() => feed([call('x', 1, many.stop().build())], 2048), /message larger than the 2048 bytes allowed/);
  });

  it('looks at each byte once: after every chunk, all but a split header of what arrived is scanned', () => {
    const fields = new Bytes().field(T.LIST, 1).i8(T.STRUCT).i32(20_000);
    for (let i = 0; i < 20_000; i++) fields.field(T.STRING, 1).str('v').stop();
    const m = call('x', 1, fields.stop().build());
    const s = new MessageStream(1 << 20);
    let done: Buffer[] = [];
    for (let off = 0; off < m.length; off += 1000) {
      done = s.push(m.subarray(off, off + 1000));
      // At most a field header (3 bytes) and a map header (6) wait for their last byte.
      if (done.length === 0) assert.ok(s.pending() - s.scanned() <= 8, `at ${off}: ${s.pending() - s.scanned()} bytes unscanned`);
    }
    assert.deepEqual(done, [m]);
  });
});
