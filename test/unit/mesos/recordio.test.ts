import assert from 'node:assert/strict';
import { encodeRecord, RecordIODecoder, RecordIOError } from '@msched/mesos';
import { EVENT_RECORDS, EVENT_STREAM } from './fixtures/wire';

function decodeChunks(chunks: Buffer[]): string[] {
  const d = new RecordIODecoder();
  const out = chunks.flatMap((c) => d.push(c)).map((r) => r.toString('utf8'));
  d.end();
  return out;
}

function decodeError(bytes: string | Buffer): RecordIOError {
  const d = new RecordIODecoder({ maxRecordBytes: 1000 });
  try {
    d.push(typeof bytes === 'string' ? Buffer.from(bytes) : bytes);
    d.end();
  } catch (e) {
    assert.ok(e instanceof RecordIOError, `expected RecordIOError, got ${e}`);
    assert.equal(e.retriable, false);
    return e;
  }
  return assert.fail('garbage was accepted');
}

describe('mesos: RecordIO decoder', () => {
  it('decodes a recorded stream of several records in one chunk', () => {
    assert.deepEqual(decodeChunks([EVENT_STREAM]), EVENT_RECORDS);
  });

  it('decodes the same records whatever byte the stream is split at (prefixes split too)', () => {
    for (let i = 0; i <= EVENT_STREAM.length; i++) {
      assert.deepEqual(decodeChunks([EVENT_STREAM.subarray(0, i), EVENT_STREAM.subarray(i)]), EVENT_RECORDS, `split at byte ${i}`);
    }
  });

  it('decodes a stream fed one byte at a time, and in uneven chunks', () => {
    const bytes = [...EVENT_STREAM].map((b) => Buffer.from([b]));
    assert.deepEqual(decodeChunks(bytes), EVENT_RECORDS);
    const chunks: Buffer[] = [];
    for (let i = 0, n = 1; i < EVENT_STREAM.length; i += n, n = (n * 7 + 3) % 97 + 1) chunks.push(EVENT_STREAM.subarray(i, i + n));
    assert.deepEqual(decodeChunks(chunks), EVENT_RECORDS);
  });

  it('counts bytes, not characters: a record with multi-byte UTF-8 survives a split inside a character', () => {
    const record = Buffer.from(EVENT_RECORDS[5], 'utf8');
    assert.notEqual(record.length, EVENT_RECORDS[5].length);
    const framed = encodeRecord(EVENT_RECORDS[5]);
    const at = framed.indexOf(Buffer.from('â', 'utf8')) + 1;
    assert.deepEqual(decodeChunks([framed.subarray(0, at), framed.subarray(at)]), [EVENT_RECORDS[5]]);
  });

  it('tells where garbage starts', () => {
    assert.match(decodeError('abc\n{}').message, /expected a decimal length prefix but found byte 0x61 at byte 0/);
    assert.match(decodeError('20\n{"type":"HEARTBEAT"}x').message, /found byte 0x78 at byte 23/);
    assert.match(decodeError('\n{}').message, /empty length prefix at byte 0/);
    assert.match(decodeError('12 \n').message, /found byte 0x20 at byte 2/);
  });

  it('refuses a zero length, an absurd prefix and a record over the limit', () => {
    assert.match(decodeError('0\n').message, /record of length 0/);
    assert.match(decodeError('12345678901234567\n').message, /length prefix longer than 16 digits/);
    assert.match(decodeError('1001\n').message, /record of 1001 bytes exceeds the 1000-byte limit/);
  });

  it('refuses a stream that ends inside a record or a prefix', () => {
    assert.match(decodeError('10\n{"a":').message, /stream ended inside a record: 5 of 10 bytes received/);
    assert.match(decodeError('20\n{"type":"HEARTBEAT"}2').message, /stream ended inside a length prefix/);
  });

  it('frames records with their byte length', () => {
    assert.equal(encodeRecord('{"type":"HEARTBEAT"}').toString(), '20\n{"type":"HEARTBEAT"}');
    assert.equal(encodeRecord('é').toString('latin1'), '2\n\xc3\xa9');
    assert.throws(() => encodeRecord(''), RangeError);
  });
});
