import assert from 'node:assert/strict';
import { TFramedTransport, Thrift } from 'thrift';
import { BoundedBinaryProtocol, canonicalJson } from '@msched/airavata-thrift';
import { Bytes, T } from './wire';

const reader = (buf: Buffer, max = 1024) => new BoundedBinaryProtocol(new TFramedTransport(buf), max);
const sizeLimit = (e: unknown) => (e as { type?: number }).type === Thrift.TProtocolExceptionType.SIZE_LIMIT;

describe('BoundedBinaryProtocol', () => {
  it('refuses a string declaring 2 GB from its length alone, allocating nothing', () => {
    const before = process.memoryUsage().arrayBuffers;
    assert.throws(() => reader(new Bytes().i32(0x7fffffff).raw(Buffer.from('abc')).build()).readString(), sizeLimit);
    assert.ok(process.memoryUsage().arrayBuffers - before < 64 * 1024 * 1024);
  });

  it('refuses binaries, lists, sets and maps declaring more than the limit', () => {
    assert.throws(() => reader(new Bytes().i32(2000).build()).readBinary(), sizeLimit);
    assert.throws(() => reader(new Bytes().i8(T.I32).i32(5000).build()).readListBegin(), sizeLimit);
    assert.throws(() => reader(new Bytes().i8(T.I32).i32(5000).build()).readSetBegin(), sizeLimit);
    assert.throws(() => reader(new Bytes().i8(T.STRING).i8(T.STRING).i32(5000).build()).readMapBegin(), sizeLimit);
  });

  it('refuses negative sizes', () => {
    assert.throws(() => reader(new Bytes().i32(-5).build()).readString(), (e: unknown) => (e as { type?: number }).type === Thrift.TProtocolExceptionType.NEGATIVE_SIZE);
  });

  it('reads what fits the limit', () => {
    assert.equal(reader(new Bytes().str('héllo').build()).readString(), 'héllo');
    assert.equal(reader(new Bytes().i32(0).build()).readString(), '');
    assert.deepEqual(reader(new Bytes().i8(T.I32).i32(3).build()).readListBegin(), { etype: T.I32, size: 3 });
  });

  it('requires the strict, versioned message header Airavata clients send', () => {
    assert.deepEqual(reader(new Bytes().message('getAPIVersion', 1, 7).build()).readMessageBegin(), { fname: 'getAPIVersion', mtype: 1, rseqid: 7 });
    assert.throws(() => reader(new Bytes().str('getAPIVersion').i8(1).i32(7).build()).readMessageBegin(), /No protocol version header/);
    assert.throws(() => reader(new Bytes().i32(0x80020001 >> 0).build()).readMessageBegin(), /Bad version/);
  });
});

describe('canonicalJson', () => {
  it('is the same text for the same value whatever the key order, and keeps list order', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [2, 1], c: null } }), canonicalJson({ a: { c: null, d: [2, 1] }, b: 1 }));
    assert.notEqual(canonicalJson({ a: [1, 2] }), canonicalJson({ a: [2, 1] }));
    assert.equal(canonicalJson({ a: undefined, b: 'x' }), '{"b":"x"}');
  });
});
