import assert from 'node:assert/strict';
import {
  AuthzToken, encodeStruct, exampleExperiment, InvalidRequestException, MetaSchedulerConnection,
} from '@msched/airavata-thrift';
import { Thrift } from 'thrift';
import { requireStack } from '../../helpers/stack';
import { Bytes, T } from '../../unit/thrift/wire';
import { MessageType, openRaw, RawConnection, readReply, replyOrClose } from './raw-socket';
import { NOTHING, ONE_LAUNCH, rowCounts, startTestApi, TestApi } from './harness';

const token = new AuthzToken({ accessToken: 'dev' });
const CALL = 1;
const MAX = 64 * 1024;
/**
 * The idle timeout closes any quiet connection, garbage or not; it is long here so that a close
 * coming from the server recognising garbage is told apart from one coming from the timeout.
 */
const IDLE_MS = 6000;

/** Waits for the server to close `raw` and returns after how many ms (counted from `since`). */
async function closeTime(raw: RawConnection, since: number): Promise<number> {
  await raw.closed;
  return Date.now() - since;
}

/** Sends `bytes` and asserts the server closes at once: well before the idle timeout could. */
async function closesAtOnce(raw: RawConnection, bytes: Buffer, what: string): Promise<void> {
  const sent = Date.now();
  raw.send(bytes);
  const ms = await closeTime(raw, sent);
  assert.ok(ms < IDLE_MS / 3, `${what}: closed after ${ms} ms, which is the idle timeout's doing (${IDLE_MS} ms), not the server recognising garbage`);
}

/** A launchExperiment call as a Thrift client writes it (strict header, args struct). */
function launchCall(seqid: number, experimentBytes: Buffer): Buffer {
  return new Bytes().message('launchExperiment', CALL, seqid)
    .field(T.STRUCT, 1).raw(encodeStruct(token))
    .field(T.STRUCT, 2).raw(experimentBytes)
    .stop().build();
}

/** Deterministic pseudo-random bytes (the same garbage on every run). */
function noise(seed: number, n: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    b[i] = x & 0xff;
  }
  return b;
}

describe('the Thrift server under garbage (integration)', function () {
  let t: TestApi;
  let other: MetaSchedulerConnection;
  let pinging: Promise<void>;
  let stopPinging = false;
  let pings = 0;

  before(async () => {
    await requireStack('postgres');
    t = await startTestApi('api_garbage', { MSCHED_API_MAX_MESSAGE_BYTES: String(MAX), MSCHED_API_IDLE_TIMEOUT_MS: String(IDLE_MS) });
  });
  after(async () => { await t?.close(); });

  /** Another client calls the server all along each abuse; any failure of its calls fails the test. */
  beforeEach(async () => {
    other = await t.connect();
    stopPinging = false;
    pings = 0;
    pinging = (async () => {
      while (!stopPinging) {
        assert.equal(await other.client.getAPIVersion(), '0.1.0');
        pings++;
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
  });

  /** After every abuse: the other client was served throughout, and a new client can launch. */
  afterEach(async () => {
    stopPinging = true;
    await pinging;
    assert.ok(pings >= 1);
    await other.close();
    const fresh = await t.connect();
    const exp = exampleExperiment();
    assert.equal((await fresh.client.launchExperiment(token, exp)).created, true);
    await fresh.close();
  });

  it('closes a connection that sends random bytes', async () => {
    // These 20 seeds are garbage from their first bytes (none is a valid message prefix).
    for (let seed = 1; seed <= 20; seed++) {
      const raw = await openRaw(t.api.port);
      await closesAtOnce(raw, noise(seed, 2048), `noise seed ${seed}`);
    }
  });

  it('closes a connection whose message declares a 2 GB string, without allocating it', async () => {
    const before = process.memoryUsage();
    const raw = await openRaw(t.api.port);
    await closesAtOnce(raw, new Bytes().message('launchExperiment', CALL, 1).field(T.STRUCT, 1).field(T.STRING, 1).i32(0x7fffffff).raw(Buffer.from('abcdef')).build(), 'a 2 GB string');
    const after = process.memoryUsage();
    assert.ok(after.arrayBuffers - before.arrayBuffers < 64 * 1024 * 1024, `array buffers grew by ${after.arrayBuffers - before.arrayBuffers}`);
    assert.ok(after.rss - before.rss < 256 * 1024 * 1024, `rss grew by ${after.rss - before.rss}`);
  });

  it('closes a connection whose message declares a list of a billion elements', async () => {
    const raw = await openRaw(t.api.port);
    await closesAtOnce(raw, new Bytes().message('launchExperiment', CALL, 1).field(T.LIST, 77).i8(T.BOOL).i32(1_000_000_000).build(), 'a billion-element list');
  });

  it('closes a connection sending a message larger than the maximum', async () => {
    const exp = exampleExperiment();
    exp.description = 'x'.repeat(MAX * 2);
    const raw = await openRaw(t.api.port);
    await closesAtOnce(raw, launchCall(1, encodeStruct(exp)), 'a message over the maximum');
    assert.deepEqual(await rowCounts(t.ds, exp.experimentId as string), NOTHING);
  });

  it('closes a connection nesting structs deeper than any Airavata struct', async () => {
    const b = new Bytes().message('launchExperiment', CALL, 1);
    for (let i = 0; i < 500; i++) b.field(T.STRUCT, 99);
    const raw = await openRaw(t.api.port);
    await closesAtOnce(raw, b.build(), 'structs 500 deep');
  });

  it('closes a connection speaking the old unversioned header', async () => {
    const raw = await openRaw(t.api.port);
    await closesAtOnce(raw, new Bytes().str('getAPIVersion').i8(CALL).i32(1).stop().build(), 'the unversioned header');
  });

  it('closes a truncated message when the client goes, or when it goes quiet', async function () {
    this.timeout(4 * IDLE_MS + 30_000);
    const exp = exampleExperiment();
    const call = launchCall(1, encodeStruct(exp));
    const leaving = await openRaw(t.api.port);
    const left = Date.now();
    leaving.send(call.subarray(0, call.length >> 1));
    leaving.end();
    const leftMs = await closeTime(leaving, left);
    assert.ok(leftMs < IDLE_MS / 3, `a client that left is let go at once, not after ${leftMs} ms`);
    const quiet = await openRaw(t.api.port);
    const sent = Date.now();
    quiet.send(call.subarray(0, call.length - 3));
    // A valid prefix is not garbage: only the idle timeout may close it.
    const quietMs = await closeTime(quiet, sent);
    assert.ok(quietMs >= IDLE_MS - 100, `a quiet truncated message is closed by the idle timeout, not after ${quietMs} ms`);
    assert.deepEqual(await rowCounts(t.ds, exp.experimentId as string), NOTHING);
  });

  it('answers a call whose arguments have the wrong wire types with InvalidRequestException', async () => {
    const raw = await openRaw(t.api.port);
    raw.send(new Bytes().message('launchExperiment', CALL, 7)
      .field(T.I32, 1).i32(5)                  // authzToken must be a struct
      .field(T.STRING, 2).str('an experiment')  // experiment must be a struct
      .stop().build());
    await replyOrClose(raw, 20);
    const reply = readReply(raw.received());
    assert.deepEqual([reply.name, reply.type, reply.seqid], ['launchExperiment', MessageType.REPLY, 7]);
    reply.body.readStructBegin();
    const f = reply.body.readFieldBegin();
    assert.deepEqual([f.fid, f.ftype], [1, Thrift.Type.STRUCT], 'field 1 of the result: InvalidRequestException ire');
    const ire = new InvalidRequestException();
    (ire as unknown as { read(p: unknown): void }).read(reply.body);
    assert.match(ire.message, /no ExperimentModel was sent/);
    assert.equal(raw.isClosed(), false, 'a well-formed call keeps its connection');
    raw.destroy();
  });

  it('answers an unknown method with TApplicationException and keeps serving the connection', async () => {
    const raw = await openRaw(t.api.port);
    raw.send(new Bytes().message('dropAllTables', CALL, 3).field(T.STRING, 1).str('now').stop().build());
    await replyOrClose(raw, 20);
    const reply = readReply(raw.received());
    assert.deepEqual([reply.name, reply.type, reply.seqid], ['dropAllTables', MessageType.EXCEPTION, 3]);
    const x = new Thrift.TApplicationException();
    x.read(reply.body);
    assert.equal(x.code, Thrift.TApplicationExceptionType.UNKNOWN_METHOD);
    assert.match(x.message, /Unknown function dropAllTables/);
    const before = raw.received().length;
    raw.send(new Bytes().message('getAPIVersion', CALL, 4).stop().build());
    await replyOrClose(raw, before + 20);
    const second = readReply(raw.received().subarray(before));
    assert.deepEqual([second.name, second.type, second.seqid], ['getAPIVersion', MessageType.REPLY, 4]);
    raw.destroy();
  });

  it('serves pipelined calls on one connection, each answered under its seqid', async () => {
    const raw = await openRaw(t.api.port);
    const exp = exampleExperiment();
    raw.send(Buffer.concat([new Bytes().message('getAPIVersion', CALL, 11).stop().build(), launchCall(12, encodeStruct(exp))]));
    for (let i = 0; i < 200 && (await rowCounts(t.ds, exp.experimentId as string)).experiments === 0; i++) await new Promise((r) => setTimeout(r, 25));
    await replyOrClose(raw, 60);
    const first = readReply(raw.received());
    assert.equal(first.seqid, 11);
    assert.deepEqual(await rowCounts(t.ds, exp.experimentId as string), ONE_LAUNCH);
    raw.destroy();
  });

});

describe('the framed Thrift server under garbage (integration)', function () {
  let t: TestApi;
  before(async () => {
    await requireStack('postgres');
    t = await startTestApi('api_garbage_framed', { MSCHED_API_TRANSPORT: 'framed', MSCHED_API_MAX_MESSAGE_BYTES: String(MAX), MSCHED_API_IDLE_TIMEOUT_MS: String(IDLE_MS) });
  });
  after(async () => { await t?.close(); });

  it('closes connections declaring 2 GB or negative frames and serves framed clients', async () => {
    for (const size of [0x7fffffff, -1, MAX + 1]) {
      const raw = await openRaw(t.api.port);
      await closesAtOnce(raw, new Bytes().i32(size).raw(Buffer.from('garbage')).build(), `a frame of ${size} bytes`);
    }
    const conn = await t.connect({ transport: 'framed' });
    assert.equal((await conn.client.launchExperiment(token, exampleExperiment())).created, true);
  });
});
