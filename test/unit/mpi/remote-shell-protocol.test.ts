import assert from 'node:assert/strict';
import { encodeExit, encodeMessage, encodeRequest, RemoteShellProtocolError, RequestDecoder } from '@msched/mpi';

describe('mpi: what the native remote shell and the launcher say over their socket', () => {
  const args = ['-x', 'agent2', '"/usr/bin/hydra_pmi_proxy"', '--control-port', '127.0.0.1:31000', '', 'ünïcode; $(rm -rf /)'];

  it('a request arrives whole whatever the chunks, every argument literal (empty ones too)', () => {
    const wire = encodeRequest(args);
    for (const size of [1, 3, 7, wire.length]) {
      const decoder = new RequestDecoder();
      let got: string[] | undefined;
      for (let at = 0; at < wire.length; at += size) {
        assert.equal(got, undefined, 'complete before its last byte');
        got = decoder.feed(wire.subarray(at, at + size));
      }
      assert.deepEqual(got, args);
    }
  });

  it('refuses a peer that sends more than one request or absurd sizes', () => {
    const wire = encodeRequest(['a']);
    assert.throws(() => new RequestDecoder().feed(Buffer.concat([wire, Buffer.from('x')])), RemoteShellProtocolError);
    const many = Buffer.alloc(4);
    many.writeUInt32BE(1_000_000);
    assert.throws(() => new RequestDecoder().feed(many), RemoteShellProtocolError);
    assert.throws(() => new RequestDecoder().feed(Buffer.alloc((1 << 20) + 1)), RemoteShellProtocolError);
  });

  it('answers are messages then one exit code byte', () => {
    assert.deepEqual([...encodeExit(255)], [0x58, 255]);
    assert.deepEqual([...encodeMessage('hé')], [0x4d, 0, 0, 0, 3, 0x68, 0xc3, 0xa9]);
    assert.throws(() => encodeExit(256), RangeError);
    assert.throws(() => encodeExit(-1), RangeError);
  });
});
