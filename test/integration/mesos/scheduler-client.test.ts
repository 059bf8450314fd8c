import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { once } from 'node:events';
import { createLogger } from '@msched/logging';
import {
  LeaderWatch, MesosCallError, MesosNotSubscribedError, SchedulerClient, StaticLeaderDetector,
  type LeaderDetector, type MasterEndpoint, type SchedulerClientEvents,
} from '@msched/mesos';
import { FakeMaster } from './support/fake-master';

/** Logs go nowhere: the tests assert on events, and expected failures would only add noise. */
const logger = createLogger({ service: 'test', level: 'error', stream: new Writable({ write: (_c, _e, cb) => cb() }) });
const framework = { user: 'root', name: 'metascheduler-test', roles: ['mpi'], failoverTimeoutSeconds: 604800 };
const fast = { initialMs: 20, maxMs: 200, multiplier: 2, jitter: 0 };

/** A detector the test moves by hand. */
class ManualDetector extends LeaderWatch {
  set(url: string | undefined): void {
    this.setLeader(url ? { url } : undefined);
  }
  async close(): Promise<void> {}
  protected describe(): string {
    return 'manual';
  }
}

function next<K extends keyof SchedulerClientEvents>(client: SchedulerClient, event: K): Promise<SchedulerClientEvents[K]> {
  return once(client, event) as unknown as Promise<SchedulerClientEvents[K]>;
}

describe('mesos: SchedulerClient against an HTTP master speaking RecordIO', () => {
  const masters: FakeMaster[] = [];
  const clients: SchedulerClient[] = [];

  async function master(opts: ConstructorParameters<typeof FakeMaster>[0] = {}): Promise<FakeMaster> {
    const m = await new FakeMaster(opts).start();
    masters.push(m);
    return m;
  }

  function client(detector: LeaderDetector, extra: Partial<ConstructorParameters<typeof SchedulerClient>[0]> = {}): SchedulerClient {
    const c = new SchedulerClient({ detector, framework, logger, reconnect: fast, ...extra });
    clients.push(c);
    return c;
  }

  afterEach(async () => {
    clients.splice(0).forEach((c) => c.stop());
    await Promise.all(masters.splice(0).map((m) => m.stop()));
  });

  it('subscribes, emits typed events, and sends calls with the stream id and FrameworkID', async () => {
    const m = await master();
    const c = client(new StaticLeaderDetector(m.url));
    const subscribed = next(c, 'subscribed');
    c.start();
    const [info] = await subscribed;
    assert.deepEqual([info.frameworkId, info.masterUrl, info.streamId, info.heartbeatIntervalSeconds, info.resubscribed], ['F-1', m.url, m.streamId, 15, false]);
    const sub = m.subscribes[0];
    assert.equal(sub.headers['mesos-stream-id'], undefined);
    assert.equal(sub.body.framework_id, undefined);
    assert.deepEqual((sub.body.subscribe as { framework_info: { capabilities: unknown } }).framework_info.capabilities, [{ type: 'MULTI_ROLE' }, { type: 'PARTITION_AWARE' }, { type: 'TASK_KILLING_STATE' }]);

    const offers = next(c, 'offers');
    m.send({ type: 'OFFERS', offers: { offers: [{ id: { value: 'O-1' }, framework_id: { value: 'F-1' }, agent_id: { value: 'S1' }, hostname: 'h1', resources: [] }] } });
    const [list] = await offers;
    assert.deepEqual(list.map((o) => o.id.value), ['O-1']);

    const update = next(c, 'update');
    m.send({ type: 'UPDATE', update: { status: { task_id: { value: 't1' }, state: 'TASK_RUNNING', agent_id: { value: 'S1' }, uuid: 'AAECAwQFBgcICQoLDA0ODw==' } } });
    const [status] = await update;
    assert.equal(await c.acknowledge(status), true);
    assert.equal(await c.acknowledge({ ...status, uuid: undefined }), false);
    await c.decline(['O-1'], 30);
    assert.deepEqual(m.calls.map((x) => [x.type, x.streamId, (x.body.framework_id as { value: string }).value]), [
      ['ACKNOWLEDGE', m.streamId, 'F-1'],
      ['DECLINE', m.streamId, 'F-1'],
    ]);
    assert.deepEqual(m.calls[1].body.decline, { offer_ids: [{ value: 'O-1' }], filters: { refuse_seconds: 30 } });
  });

  it('decodes events written one byte at a time', async () => {
    const m = await master({ byteByByte: true });
    const c = client(new StaticLeaderDetector(m.url));
    const rescind = next(c, 'rescind');
    c.start();
    await next(c, 'subscribed');
    m.send({ type: 'RESCIND', rescind: { offer_id: { value: 'O-9' } } });
    assert.deepEqual(await rescind, ['O-9']);
  });

  it('follows a 307 from a non-leading master and sends its calls to the leader', async () => {
    const leader = await master();
    const standby = await master();
    standby.redirectTo = leader.url;
    const c = client(new StaticLeaderDetector(standby.url));
    const subscribed = next(c, 'subscribed');
    c.start();
    const [info] = await subscribed;
    assert.equal(info.masterUrl, leader.url);
    await c.revive(['mpi']);
    assert.deepEqual(leader.calls.map((x) => x.type), ['REVIVE']);
    assert.equal(standby.calls.length, 0);
  });

  it('reports a refused call with the status, the master\'s message and whether to retry', async () => {
    const m = await master();
    const c = client(new StaticLeaderDetector(m.url));
    c.start();
    await next(c, 'subscribed');
    m.refuse.set('KILL', { status: 400, body: 'Failed to validate scheduler::Call: Expecting \'kill\' to be present' });
    m.refuse.set('RECONCILE', { status: 503, body: 'Master is not the leader' });
    await assert.rejects(c.kill('t1', 'S1'), (e: unknown) => e instanceof MesosCallError && e.status === 400 && !e.retriable
      && e.body === 'Failed to validate scheduler::Call: Expecting \'kill\' to be present');
    await assert.rejects(c.reconcile([]), (e: unknown) => e instanceof MesosCallError && e.status === 503 && e.retriable);
  });

  it('refuses calls while not subscribed', async () => {
    const c = client(new StaticLeaderDetector('http://127.0.0.1:9'));
    await assert.rejects(c.suppress(['mpi']), (e: unknown) => e instanceof MesosNotSubscribedError && e.retriable);
  });

  it('re-subscribes with the same FrameworkID when the stream ends', async () => {
    const m = await master();
    const c = client(new StaticLeaderDetector(m.url));
    c.start();
    await next(c, 'subscribed');
    const disconnected = next(c, 'disconnected');
    const again = next(c, 'subscribed');
    m.closeStream();
    const [d] = await disconnected;
    assert.match(d.reason, /closed the event stream|event stream from .* (closed|broke)/);
    assert.equal(typeof d.retryInMs, 'number');
    const [info] = await again;
    assert.deepEqual([info.frameworkId, info.resubscribed], ['F-1', true]);
    const body = m.subscribes[1].body as { framework_id: { value: string }; subscribe: { framework_info: { id: { value: string } } } };
    assert.deepEqual([body.framework_id.value, body.subscribe.framework_info.id.value], ['F-1', 'F-1']);
    assert.equal(c.frameworkId, 'F-1');
  });

  it('declares a silent master dead after the missed heartbeats and subscribes again', async () => {
    const m = await master({ heartbeatSeconds: 0.05, sendHeartbeats: false });
    const c = client(new StaticLeaderDetector(m.url), { heartbeatMissLimit: 5 });
    c.start();
    await next(c, 'subscribed');
    const [d] = await next(c, 'disconnected');
    assert.equal(d.reason, 'no event from the master for 250 ms');
    await m.subscribed(2);
  });

  it('keeps a stream alive as long as heartbeats arrive', async () => {
    const m = await master({ heartbeatSeconds: 0.05, sendHeartbeats: true });
    const c = client(new StaticLeaderDetector(m.url), { heartbeatMissLimit: 5 });
    let disconnects = 0;
    c.on('disconnected', () => disconnects++);
    c.start();
    await next(c, 'subscribed');
    // 12 heartbeat intervals: more than twice the silence limit of 5.
    for (let i = 0; i < 12; i++) await next(c, 'heartbeat');
    assert.equal(disconnects, 0);
    assert.equal(m.subscribes.length, 1);
  });

  it('drops a stream that carries garbage and subscribes again', async () => {
    const m = await master();
    const c = client(new StaticLeaderDetector(m.url));
    c.start();
    await next(c, 'subscribed');
    const disconnected = next(c, 'disconnected');
    m.write(Buffer.from('oops\n'));
    const [d] = await disconnected;
    assert.match(d.reason, /^unreadable event stream from .*: expected a decimal length prefix but found byte 0x6f/);
    await m.subscribed(2);
  });

  it('waits out a master that answers 503 and subscribes once it is ready', async () => {
    const m = await master();
    m.subscribeStatus = 503;
    const c = client(new StaticLeaderDetector(m.url));
    const reasons: string[] = [];
    c.on('disconnected', (d) => {
      reasons.push(d.reason);
      if (reasons.length === 2) m.subscribeStatus = undefined;
    });
    const subscribed = next(c, 'subscribed');
    c.start();
    await subscribed;
    assert.deepEqual(reasons, [`SUBSCRIBE to ${m.url} answered 503`, `SUBSCRIBE to ${m.url} answered 503`]);
  });

  it('stops on the master\'s ERROR event and does not come back', async () => {
    const m = await master();
    const c = client(new StaticLeaderDetector(m.url));
    c.start();
    await next(c, 'subscribed');
    const err = next(c, 'frameworkError');
    m.send({ type: 'ERROR', error: { message: 'Framework has been removed' } });
    const [e] = await err;
    assert.equal(e.message, 'Framework has been removed');
    assert.equal(e.retriable, false);
    assert.equal(c.isSubscribed, false);
    await assert.rejects(c.revive(), MesosNotSubscribedError);
    assert.equal(m.subscribes.length, 1);
  });

  it('moves to the new leader when the detector reports one', async () => {
    const first = await master();
    const second = await master();
    const detector = new ManualDetector();
    const c = client(detector);
    const subscribedFirst = next(c, 'subscribed');
    c.start();
    detector.set(first.url);
    assert.equal((await subscribedFirst)[0].masterUrl, first.url);
    const subscribedSecond = next(c, 'subscribed');
    // The second master keeps the framework's id: it re-subscribes with F-1.
    detector.set(second.url);
    const [info] = await subscribedSecond;
    assert.deepEqual([info.masterUrl, info.frameworkId, info.resubscribed], [second.url, 'F-1', true]);
    const leader: MasterEndpoint | undefined = detector.current();
    assert.equal(leader?.url, second.url);
  });
});
