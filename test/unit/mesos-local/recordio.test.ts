import assert from 'node:assert/strict';
import { RecordIoDecoder, RecordIoError, encodeRecord } from '@msched/mesos-local/dist/internals';

describe('mesos-local RecordIO codec', () => {
  const records = ['{"type":"SUBSCRIBED"}', '{"type":"HEARTBEAT"}', '{"site":"Zürich ✓"}'];
  const wire = Buffer.concat(records.map((r) => encodeRecord(r)));

  it('prefixes each record with its length in bytes, not characters, and adds no trailing delimiter', () => {
    assert.equal(encodeRecord('{"site":"Zürich ✓"}').toString('utf8'), `${Buffer.byteLength('{"site":"Zürich ✓"}')}\n{"site":"Zürich ✓"}`);
    assert.equal(encodeRecord('ab').toString(), '2\nab');
  });

  it('decodes the same records however the bytes are split: every byte apart, every split point, all at once', () => {
    const one = new RecordIoDecoder().decode(wire).map(String);
    assert.deepEqual(one, records);
    const byByte = new RecordIoDecoder();
    const got: string[] = [];
    for (let i = 0; i < wire.length; i++) got.push(...byByte.decode(wire.subarray(i, i + 1)).map(String));
    assert.deepEqual(got, records);
    for (let cut = 1; cut < wire.length; cut++) {
      const d = new RecordIoDecoder();
      assert.deepEqual([...d.decode(wire.subarray(0, cut)), ...d.decode(wire.subarray(cut))].map(String), records, `split at byte ${cut}`);
    }
  });

  it('keeps a partial record until the rest arrives', () => {
    const d = new RecordIoDecoder();
    assert.deepEqual(d.decode(Buffer.from('10\n01234')), []);
    assert.equal(d.pendingBytes, 5);
    assert.deepEqual(d.decode(Buffer.from('56789')).map(String), ['0123456789']);
    assert.equal(d.pendingBytes, 0);
  });

  it('refuses a corrupt stream with a reason', () => {
    assert.throws(() => new RecordIoDecoder().decode(Buffer.from('x1\n{}')), (e: Error) => e instanceof RecordIoError && /not a decimal number/.test(e.message));
    assert.throws(() => new RecordIoDecoder().decode(Buffer.from('123456789012345678901234')), /not terminated by a newline/);
    assert.throws(() => new RecordIoDecoder(10).decode(Buffer.from('11\n')), /exceeds the limit/);
  });
});
