import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  Json, RawRecordReader, RawScheduler, commandTask, frameworkInfo, getJson, httpRequest, openStream,
} from '../../../helpers/mesos-raw';
import { eventually } from '../../../helpers/eventually';

/**
 * What the suite needs to know about the master under test. Nothing here is specific to the local
 * cluster: pointed at a real Mesos 1.x master (with agents able to run `sh`, `sleep`, `true`), the
 * same checks should pass; only the waits get longer (Mesos re-sends updates after 10 s).
 */
export interface ConformanceTarget {
  masterUrl: string;
  /** A role frameworks may subscribe with and get offers for. */
  role: string;
  /** First re-send of an unacknowledged status update (Mesos: 10 s). */
  updateRetryMs: number;
  /** The master's allocation interval (Mesos: 1 s). */
  allocationIntervalMs: number;
}

const SCHEDULER = 'api/v1/scheduler';
const url = (t: ConformanceTarget, path: string) => new URL(path, t.masterUrl.endsWith('/') ? t.masterUrl : `${t.masterUrl}/`).toString();

/** A `sleep` long enough to outlive any test, killed by the test itself. */
const LONG_SLEEP = { shell: false, value: '/bin/sleep', arguments: ['sleep', '600'] };

/**
 * The conformance suite: drives a master with raw HTTP the way a real scheduler does and checks
 * each call and event of the v1 scheduler API, the framing, the status codes and the operator
 * endpoints. `target()` is read when the suite runs, so a `before` hook may start the master.
 */
export function describeMasterConformance(name: string, target: () => ConformanceTarget): void {
  describe(`Mesos v1 master conformance: ${name}`, function () {
    const open: RawScheduler[] = [];
    let t: ConformanceTarget;

    before(() => {
      t = target();
    });

    /** A subscribed framework torn down after the test, so it holds no offers and no tasks. */
    async function framework(o: Parameters<typeof RawScheduler.subscribe>[1] = {}): Promise<RawScheduler> {
      const s = await RawScheduler.subscribe(t.masterUrl, { role: t.role, ...o });
      open.push(s);
      return s;
    }

    afterEach(async () => {
      for (const s of open.splice(0)) {
        await s.call('TEARDOWN').catch(() => undefined);
        s.close();
      }
    });

    /** An offer for the test's own use. */
    async function takeOffer(s: RawScheduler, pred: (o: Json) => boolean = () => true): Promise<Json> {
      return s.nextOffer(pred, 10_000);
    }

    describe('SUBSCRIBE', () => {
      it('answers 200 with a RecordIO JSON stream, a Mesos-Stream-Id, SUBSCRIBED then HEARTBEAT', async () => {
        const { stream, response } = await openStream(t.masterUrl, { type: 'SUBSCRIBE', subscribe: { framework_info: frameworkInfo({ role: t.role }) } });
        assert.equal(response.status, 200);
        assert.ok(stream);
        try {
          assert.equal(stream.headers['content-type'], 'application/json');
          assert.match(stream.streamId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
          const first = await stream.next();
          assert.equal(first.type, 'SUBSCRIBED');
          assert.ok(first.subscribed.framework_id.value);
          assert.equal(typeof first.subscribed.heartbeat_interval_seconds, 'number');
          const mi = first.subscribed.master_info;
          assert.equal(typeof mi.id, 'string');
          assert.equal(typeof mi.port, 'number');
          assert.equal(typeof mi.address.hostname, 'string');
          assert.equal((await stream.next()).type, 'HEARTBEAT');
          // Heartbeats keep coming at the announced interval.
          await stream.nextOfType('HEARTBEAT', first.subscribed.heartbeat_interval_seconds * 3000 + 2000);
          await httpRequest('POST', url(t, SCHEDULER), { type: 'TEARDOWN', framework_id: first.subscribed.framework_id }, { 'Mesos-Stream-Id': stream.streamId });
        } finally {
          stream.close();
        }
      });

      it('frames every record as <byte length>\\n<JSON>, decodable however the bytes are chunked', async () => {
        const s = await framework();
        await takeOffer(s);
        await s.stream.nextOfType('HEARTBEAT');
        const raw = s.stream.rawBytes();
        // Walk the framing by hand: length prefixes count bytes (not characters), no trailing delimiter.
        let pos = 0;
        let count = 0;
        while (pos < raw.length) {
          const nl = raw.indexOf(10, pos);
          assert.ok(nl > pos, `a length prefix at byte ${pos}`);
          const len = Number(raw.subarray(pos, nl).toString('ascii'));
          assert.ok(Number.isInteger(len) && len > 0);
          if (nl + 1 + len > raw.length) break; // The last record may still be arriving.
          JSON.parse(raw.subarray(nl + 1, nl + 1 + len).toString('utf8'));
          pos = nl + 1 + len;
          count++;
        }
        assert.ok(count >= 3, 'SUBSCRIBED, HEARTBEAT and OFFERS at least');
        const whole = raw.subarray(0, pos);
        // The same bytes split at every byte, or arriving as one chunk, give the same records.
        const byByte = new RawRecordReader();
        const one = new RawRecordReader();
        const a: string[] = [];
        for (let i = 0; i < whole.length; i++) a.push(...byByte.push(whole.subarray(i, i + 1)).map((r) => r.toString('utf8')));
        const b = one.push(whole).map((r) => r.toString('utf8'));
        assert.equal(a.length, count);
        assert.deepEqual(a, b);
        assert.deepEqual(a.map((r) => JSON.parse(r)), s.stream.events.slice(0, count));
      });

      it('refuses a SUBSCRIBE carrying a Mesos-Stream-Id with 400', async () => {
        const { response } = await openStream(t.masterUrl, { type: 'SUBSCRIBE', subscribe: { framework_info: frameworkInfo({ role: t.role }) } }, { 'Mesos-Stream-Id': randomUUID() });
        assert.equal(response.status, 400);
        assert.match(response.body, /Mesos-Stream-Id/);
      });

      it('answers 400 to a body that is not JSON, and to framework ids that differ', async () => {
        const bad = await httpRequest('POST', url(t, SCHEDULER), '{"type": "SUBSCRIBE", ');
        assert.equal(bad.status, 400);
        assert.match(bad.body, /Failed to parse body into JSON/);
        const differ = await httpRequest('POST', url(t, SCHEDULER), {
          type: 'SUBSCRIBE', framework_id: { value: 'a' }, subscribe: { framework_info: frameworkInfo({ role: t.role, frameworkId: 'b' }) },
        });
        assert.equal(differ.status, 400);
        assert.match(differ.body, /differs/);
        const noUser = await httpRequest('POST', url(t, SCHEDULER), { type: 'SUBSCRIBE', subscribe: { framework_info: { name: 'x' } } });
        assert.equal(noUser.status, 400);
      });

      it('answers 400 without Content-Type, 415 to another type, 406 when JSON is not acceptable, 405 to GET', async () => {
        const body = JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: frameworkInfo({ role: t.role }) } });
        const none = await httpRequest('POST', url(t, SCHEDULER), undefined, {});
        assert.equal(none.status, 400);
        const other = await httpRequest('POST', url(t, SCHEDULER), body, { 'Content-Type': 'text/plain' });
        assert.equal(other.status, 415);
        const { response } = await openStream(t.masterUrl, body, { Accept: 'text/html' });
        assert.equal(response.status, 406);
        const get = await httpRequest('GET', url(t, SCHEDULER));
        assert.equal(get.status, 405);
      });

      it('a framework re-subscribing with its id keeps its tasks; the old stream gets ERROR "Framework failed over"', async () => {
        const s = await framework({ failoverTimeout: 60 });
        const offer = await takeOffer(s);
        const taskId = `fo-${randomUUID().slice(0, 8)}`;
        assert.equal((await s.launch(offer, [commandTask(offer, taskId, LONG_SLEEP)])).status, 202);
        await s.waitState(taskId, 'TASK_RUNNING');
        const again = await RawScheduler.subscribe(t.masterUrl, { role: t.role, failoverTimeout: 60, frameworkId: s.frameworkId });
        open.push(again);
        assert.equal(again.frameworkId, s.frameworkId);
        const err = await s.stream.nextOfType('ERROR');
        assert.equal(err.error.message, 'Framework failed over');
        await s.stream.closed;
        assert.notEqual(again.stream.streamId, s.stream.streamId);
        // The old stream id is no longer valid; the new one is.
        assert.equal((await s.call('RECONCILE', { tasks: [] })).status, 400);
        await again.mustCall('RECONCILE', { tasks: [{ task_id: { value: taskId } }] });
        const rec = await again.stream.nextUpdate(taskId);
        assert.equal(rec.update.status.state, 'TASK_RUNNING');
        assert.equal(rec.update.status.reason, 'REASON_RECONCILIATION');
        assert.equal(rec.update.status.uuid, undefined);
      });
    });

    describe('calls of a subscribed framework', () => {
      it('answers 400 without or with a wrong Mesos-Stream-Id, 400 for an unknown framework or none, 501 for an unknown call', async () => {
        const s = await framework();
        const body = { type: 'RECONCILE', framework_id: { value: s.frameworkId }, reconcile: { tasks: [] } };
        const noHeader = await httpRequest('POST', url(t, SCHEDULER), body);
        assert.equal(noHeader.status, 400);
        assert.match(noHeader.body, /Mesos-Stream-Id/);
        const wrong = await httpRequest('POST', url(t, SCHEDULER), body, { 'Mesos-Stream-Id': randomUUID() });
        assert.equal(wrong.status, 400);
        assert.match(wrong.body, /didn't match/);
        const unknown = await httpRequest('POST', url(t, SCHEDULER), { ...body, framework_id: { value: `nobody-${randomUUID()}` } }, { 'Mesos-Stream-Id': s.stream.streamId });
        assert.equal(unknown.status, 400);
        assert.match(unknown.body, /Framework cannot be found/);
        const noId = await httpRequest('POST', url(t, SCHEDULER), { type: 'RECONCILE', reconcile: { tasks: [] } }, { 'Mesos-Stream-Id': s.stream.streamId });
        assert.equal(noId.status, 400);
        assert.match(noId.body, /framework_id/);
        const weird = await httpRequest('POST', url(t, SCHEDULER), { type: 'NOT_A_CALL', framework_id: { value: s.frameworkId } }, { 'Mesos-Stream-Id': s.stream.streamId });
        assert.equal(weird.status, 501);
        const badAck = await s.call('ACKNOWLEDGE', { agent_id: { value: 'a' }, task_id: { value: 't' }, uuid: 'bm90LWEtdXVpZA==' });
        assert.equal(badAck.status, 400);
      });

      it('answers 403 once the framework has disconnected (within its failover timeout)', async () => {
        const s = await framework({ failoverTimeout: 60 });
        s.close();
        await s.stream.closed;
        let status = 0;
        await eventually('the master to answer the disconnected framework\'s calls with 403', async () => {
          status = (await s.call('RECONCILE', { tasks: [] })).status;
          return status === 403;
        }, { timeoutMs: 5000, state: () => `last status ${status}` });
        // Re-subscribing brings it back.
        const back = await RawScheduler.subscribe(t.masterUrl, { role: t.role, failoverTimeout: 60, frameworkId: s.frameworkId });
        open.push(back);
        assert.equal((await back.call('RECONCILE', { tasks: [] })).status, 202);
      });
    });

    describe('OFFERS, DECLINE, SUPPRESS, REVIVE', () => {
      it('offers carry the nested "offers":{"offers":[...]} shape with the role in allocation_info', async () => {
        const s = await framework();
        const e = await s.stream.nextOfType('OFFERS');
        assert.ok(Array.isArray(e.offers.offers), 'event.offers.offers is the list');
        const o = e.offers.offers[0];
        assert.equal(o.framework_id.value, s.frameworkId);
        assert.ok(o.id.value && o.agent_id.value && o.hostname);
        assert.equal(o.allocation_info.role, t.role);
        const byName = Object.fromEntries(o.resources.map((r: Json) => [r.name, r]));
        assert.equal(byName.cpus.type, 'SCALAR');
        assert.ok(byName.cpus.scalar.value > 0);
        assert.ok(byName.mem.scalar.value > 0);
        assert.equal(byName.ports.type, 'RANGES');
        assert.ok(byName.ports.ranges.range.length > 0);
        for (const r of o.resources) assert.equal(r.allocation_info.role, t.role);
      });

      it('accounts resources: offers shrink by what a task uses and what it frees is offered again', async () => {
        const s = await framework();
        const offer = await takeOffer(s);
        const agent = offer.agent_id.value;
        const scalar = (o: Json, name: string) => o.resources.find((r: Json) => r.name === name)?.scalar.value ?? 0;
        const cpus = scalar(offer, 'cpus');
        const port = offer.resources.find((r: Json) => r.name === 'ports').ranges.range[0].begin;
        const taskId = `acct-${randomUUID().slice(0, 8)}`;
        const task = commandTask(offer, taskId, LONG_SLEEP, { cpus: 1, mem: 64 });
        task.resources.push({ name: 'ports', type: 'RANGES', ranges: { range: [{ begin: port, end: port }] } });
        await s.launch(offer, [task], { refuse_seconds: 0 });
        await s.waitState(taskId, 'TASK_RUNNING');
        const rest = await takeOffer(s, (o) => o.agent_id.value === agent);
        assert.equal(scalar(rest, 'cpus'), Math.round((cpus - 1) * 1000) / 1000);
        const ranges: Array<{ begin: number; end: number }> = rest.resources.find((r: Json) => r.name === 'ports').ranges.range;
        assert.ok(!ranges.some((r) => r.begin <= port && port <= r.end), 'the used port is not offered');
        await s.mustCall('KILL', { task_id: { value: taskId }, agent_id: offer.agent_id });
        await s.waitState(taskId, 'TASK_KILLED');
        const freed = await takeOffer(s, (o) => o.agent_id.value === agent);
        assert.equal(scalar(freed, 'cpus'), 1, 'the task\'s cpu comes back in a new offer');
        assert.ok(freed.resources.find((r: Json) => r.name === 'ports').ranges.range.some((r: Json) => r.begin <= port && port <= r.end));
      });

      it('a DECLINE filter holds the agent back until REVIVE clears it; refuse_seconds 0 sets none', async () => {
        const s = await framework();
        const first = await s.stream.nextOfType('OFFERS');
        const offers: Json[] = [...first.offers.offers];
        // Collect every agent's offer, then decline all of them for an hour.
        const deadline = Date.now() + t.allocationIntervalMs * 3 + 1000;
        while (Date.now() < deadline) {
          const more = await s.stream.nextOfType('OFFERS', Math.max(1, deadline - Date.now())).catch(() => null);
          if (more) offers.push(...more.offers.offers);
        }
        await s.mustCall('DECLINE', { offer_ids: offers.map((o) => o.id), filters: { refuse_seconds: 3600 } });
        const seen = s.stream.events.length;
        await new Promise((r) => setTimeout(r, t.allocationIntervalMs * 5 + 200));
        assert.equal(s.stream.events.slice(seen).filter((e) => e.type === 'OFFERS').length, 0, 'no offers while the filters hold');
        await s.mustCall('REVIVE', { roles: [t.role] });
        const again = await s.stream.nextOfType('OFFERS');
        await s.mustCall('DECLINE', { offer_ids: again.offers.offers.map((o: Json) => o.id), filters: { refuse_seconds: 0 } });
        const back = await s.stream.nextOfType('OFFERS');
        assert.ok(back.offers.offers.some((o: Json) => again.offers.offers.some((p: Json) => p.agent_id.value === o.agent_id.value)), 'declined without a filter, the agent comes back');
      });

      it('SUPPRESS stops offers for the role; REVIVE brings them back', async () => {
        const s = await framework();
        const e = await s.stream.nextOfType('OFFERS');
        await s.mustCall('SUPPRESS', { roles: [t.role] });
        await s.mustCall('DECLINE', { offer_ids: e.offers.offers.map((o: Json) => o.id), filters: { refuse_seconds: 0 } });
        const seen = s.stream.events.length;
        await new Promise((r) => setTimeout(r, t.allocationIntervalMs * 5 + 200));
        assert.equal(s.stream.events.slice(seen).filter((x) => x.type === 'OFFERS').length, 0, 'no offers while suppressed');
        await s.mustCall('REVIVE', { roles: [t.role] });
        await s.stream.nextOfType('OFFERS');
      });
    });

    describe('ACCEPT, UPDATE, ACKNOWLEDGE', () => {
      it('runs a command task: STARTING, RUNNING, FINISHED with uuids, one at a time until acknowledged', async () => {
        const s = await framework();
        const offer = await takeOffer(s);
        const taskId = `ok-${randomUUID().slice(0, 8)}`;
        assert.equal((await s.launch(offer, [commandTask(offer, taskId, { value: 'echo conformance; sleep 0.2' })])).status, 202);
        const starting = await s.stream.nextUpdate(taskId);
        assert.equal(starting.update.status.state, 'TASK_STARTING');
        assert.equal(Buffer.from(starting.update.status.uuid, 'base64').length, 16);
        assert.equal(starting.update.status.agent_id.value, offer.agent_id.value);
        assert.equal(typeof starting.update.status.timestamp, 'number');
        // Until STARTING is acknowledged the next update is held back, and STARTING is sent again.
        const resent = await s.stream.nextUpdate(taskId, undefined, t.updateRetryMs * 4 + 5000);
        assert.equal(resent.update.status.state, 'TASK_STARTING');
        assert.equal(resent.update.status.uuid, starting.update.status.uuid);
        await s.ack(starting);
        const running = await s.stream.next((e) => e.type === 'UPDATE' && e.update.status.task_id.value === taskId && e.update.status.uuid !== starting.update.status.uuid, 15000, 'the update after STARTING');
        assert.equal(running.update.status.state, 'TASK_RUNNING');
        assert.notEqual(running.update.status.uuid, starting.update.status.uuid);
        await s.ack(running);
        const done = await s.waitState(taskId, 'TASK_FINISHED');
        assert.equal(done.update.status.source, 'SOURCE_EXECUTOR');
        const state = await getJson(url(t, 'master/state'));
        const fw = state.frameworks.find((f: Json) => f.id === s.frameworkId);
        const deadline = Date.now() + 5000;
        let completed = fw?.completed_tasks ?? [];
        while (!completed.some((x: Json) => x.id === taskId) && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 50));
          completed = (await getJson(url(t, 'master/state'))).frameworks.find((f: Json) => f.id === s.frameworkId).completed_tasks;
        }
        assert.ok(completed.some((x: Json) => x.id === taskId && x.state === 'TASK_FINISHED'), 'an acknowledged terminal task is completed');
      });

      it('reports TASK_FAILED with the exit status in the message', async () => {
        const s = await framework();
        const offer = await takeOffer(s);
        const taskId = `fail-${randomUUID().slice(0, 8)}`;
        await s.launch(offer, [commandTask(offer, taskId, { value: 'exit 3' })]);
        const failed = await s.waitState(taskId, 'TASK_FAILED');
        assert.match(failed.update.status.message, /exited with status 3/);
      });

      it('turns an invalid task into TASK_ERROR from the master, without uuid', async () => {
        const s = await framework();
        const offer = await takeOffer(s);
        const taskId = `err-${randomUUID().slice(0, 8)}`;
        await s.launch(offer, [commandTask(offer, taskId, { value: 'true' }, { cpus: 100000 })]);
        const e = await s.stream.nextUpdate(taskId);
        assert.equal(e.update.status.state, 'TASK_ERROR');
        assert.equal(e.update.status.source, 'SOURCE_MASTER');
        assert.equal(e.update.status.reason, 'REASON_TASK_INVALID');
        assert.equal(e.update.status.uuid, undefined);
      });

      it('drops tasks launched on an unknown offer (TASK_DROPPED, or TASK_LOST without PARTITION_AWARE)', async () => {
        for (const partitionAware of [true, false]) {
          const s = await framework({ partitionAware });
          const offer = await takeOffer(s);
          const taskId = `drop-${randomUUID().slice(0, 8)}`;
          const gone = { ...offer, id: { value: `no-such-offer-${randomUUID()}` } };
          assert.equal((await s.launch(gone, [commandTask(offer, taskId, { value: 'true' })])).status, 202);
          const e = await s.stream.nextUpdate(taskId);
          assert.equal(e.update.status.state, partitionAware ? 'TASK_DROPPED' : 'TASK_LOST');
          assert.equal(e.update.status.reason, 'REASON_INVALID_OFFERS');
          assert.equal(e.update.status.source, 'SOURCE_MASTER');
          assert.equal(e.update.status.uuid, undefined);
          await s.mustCall('TEARDOWN'); // Frees its offers for the next framework.
        }
      });

      it('refuses offers of two agents in one ACCEPT: every task TASK_DROPPED', async () => {
        const s = await framework();
        const a = await takeOffer(s);
        const b = await takeOffer(s, (o) => o.agent_id.value !== a.agent_id.value);
        const taskId = `two-${randomUUID().slice(0, 8)}`;
        const r = await s.call('ACCEPT', { offer_ids: [a.id, b.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [commandTask(a, taskId, { value: 'true' })] } }] });
        assert.equal(r.status, 202);
        const e = await s.stream.nextUpdate(taskId);
        assert.equal(e.update.status.state, 'TASK_DROPPED');
        assert.equal(e.update.status.reason, 'REASON_INVALID_OFFERS');
        assert.match(e.update.status.message, /one single agent/);
      });
    });

    describe('KILL', () => {
      it('kills a running task: TASK_KILLING (with TASK_KILLING_STATE) then TASK_KILLED', async () => {
        const s = await framework({ taskKillingState: true });
        const offer = await takeOffer(s);
        const taskId = `kill-${randomUUID().slice(0, 8)}`;
        await s.launch(offer, [commandTask(offer, taskId, LONG_SLEEP)]);
        await s.waitState(taskId, 'TASK_RUNNING');
        await s.mustCall('KILL', { task_id: { value: taskId }, agent_id: offer.agent_id });
        const killing = await s.stream.nextUpdate(taskId);
        assert.equal(killing.update.status.state, 'TASK_KILLING');
        await s.ack(killing);
        await s.waitState(taskId, 'TASK_KILLED');
      });

      it('answers a KILL of an unknown task with a reconciliation update', async () => {
        const s = await framework();
        const offer = await takeOffer(s);
        const taskId = `ghost-${randomUUID().slice(0, 8)}`;
        await s.mustCall('KILL', { task_id: { value: taskId }, agent_id: offer.agent_id });
        const e = await s.stream.nextUpdate(taskId);
        assert.equal(e.update.status.state, 'TASK_GONE');
        assert.equal(e.update.status.reason, 'REASON_RECONCILIATION');
      });
    });

    describe('LAUNCH_GROUP', () => {
      it('starts the tasks of a group together and kills them together', async () => {
        const s = await framework();
        const offer = await takeOffer(s);
        const group = randomUUID().slice(0, 8);
        const ids = [`g-${group}-a`, `g-${group}-b`];
        const r = await s.call('ACCEPT', {
          offer_ids: [offer.id],
          operations: [{
            type: 'LAUNCH_GROUP',
            launch_group: {
              executor: { type: 'DEFAULT', executor_id: { value: `exec-${group}` }, resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } }, { name: 'mem', type: 'SCALAR', scalar: { value: 32 } }] },
              task_group: { tasks: ids.map((id) => commandTask(offer, id, LONG_SLEEP)) },
            },
          }],
        });
        assert.equal(r.status, 202);
        for (const id of ids) await s.waitState(id, 'TASK_RUNNING');
        await s.mustCall('KILL', { task_id: { value: ids[0] }, agent_id: offer.agent_id });
        for (const id of ids) await s.waitState(id, 'TASK_KILLED');
        const failure = await s.stream.nextOfType('FAILURE');
        assert.equal(failure.failure.executor_id.value, `exec-${group}`);
        assert.equal(failure.failure.agent_id.value, offer.agent_id.value);
        assert.equal(typeof failure.failure.status, 'number');
      });
    });

    describe('RECONCILE', () => {
      it('implicit: the latest state of every task; explicit: GONE on a known agent, UNKNOWN on an unknown one; LOST without PARTITION_AWARE', async () => {
        const s = await framework();
        const offer = await takeOffer(s);
        const taskId = `rec-${randomUUID().slice(0, 8)}`;
        await s.launch(offer, [commandTask(offer, taskId, LONG_SLEEP)]);
        await s.waitState(taskId, 'TASK_RUNNING');
        await s.mustCall('RECONCILE', { tasks: [] });
        const implicit = await s.stream.nextUpdate(taskId);
        assert.equal(implicit.update.status.state, 'TASK_RUNNING');
        assert.equal(implicit.update.status.reason, 'REASON_RECONCILIATION');
        assert.equal(implicit.update.status.source, 'SOURCE_MASTER');
        assert.equal(implicit.update.status.uuid, undefined);
        const ghost = `ghost-${randomUUID().slice(0, 8)}`;
        const stranger = `ghost-${randomUUID().slice(0, 8)}`;
        await s.mustCall('RECONCILE', { tasks: [{ task_id: { value: ghost }, agent_id: offer.agent_id }, { task_id: { value: stranger }, agent_id: { value: `no-agent-${randomUUID()}` } }] });
        assert.equal((await s.stream.nextUpdate(ghost)).update.status.state, 'TASK_GONE');
        assert.equal((await s.stream.nextUpdate(stranger)).update.status.state, 'TASK_UNKNOWN');

        const old = await framework({ partitionAware: false });
        await old.mustCall('RECONCILE', { tasks: [{ task_id: { value: ghost }, agent_id: offer.agent_id }] });
        assert.equal((await old.stream.nextUpdate(ghost)).update.status.state, 'TASK_LOST');
      });
    });

    describe('TEARDOWN', () => {
      it('removes the framework: its stream ends, its tasks are killed, its id is refused afterwards', async () => {
        const s = await RawScheduler.subscribe(t.masterUrl, { role: t.role, failoverTimeout: 60 });
        const offer = await takeOffer(s);
        const taskId = `td-${randomUUID().slice(0, 8)}`;
        await s.launch(offer, [commandTask(offer, taskId, LONG_SLEEP)]);
        await s.waitState(taskId, 'TASK_RUNNING');
        await s.mustCall('TEARDOWN');
        await s.stream.closed;
        const state = await getJson(url(t, 'master/state'));
        const done = state.completed_frameworks.find((f: Json) => f.id === s.frameworkId);
        assert.ok(done, 'the framework is completed');
        assert.ok(!state.frameworks.some((f: Json) => f.id === s.frameworkId));
        const { stream } = await openStream(t.masterUrl, { type: 'SUBSCRIBE', framework_id: { value: s.frameworkId }, subscribe: { framework_info: frameworkInfo({ role: t.role, frameworkId: s.frameworkId }) } });
        assert.ok(stream);
        const err = await stream.next();
        assert.equal(err.type, 'ERROR');
        assert.equal(err.error.message, 'Framework has been removed');
        await stream.closed;
      });
    });

    describe('operator endpoints', () => {
      it('GET /master/state lists agents, frameworks and tasks in v0 form', async () => {
        const s = await framework();
        const state = await getJson(url(t, 'master/state'));
        assert.equal(typeof state.version, 'string');
        assert.equal(typeof state.id, 'string');
        assert.equal(typeof state.leader, 'string');
        assert.ok(state.activated_slaves >= 2);
        const agent = state.slaves[0];
        assert.ok(agent.id && agent.hostname);
        assert.equal(typeof agent.resources.cpus, 'number');
        assert.match(agent.resources.ports, /^\[\d+-\d+/);
        const fw = state.frameworks.find((f: Json) => f.id === s.frameworkId);
        assert.ok(fw, 'our framework is listed');
        assert.deepEqual(fw.roles, [t.role]);
        assert.equal(fw.active, true);
      });

      it('GET /master/redirect answers 307 to //leader:port', async () => {
        const r = await httpRequest('GET', url(t, 'master/redirect'));
        assert.equal(r.status, 307);
        assert.match(String(r.headers.location), /^\/\/[^/:]+:\d+$/);
      });

      it('POST /api/v1 answers GET_STATE and GET_AGENTS', async () => {
        const state = await httpRequest('POST', url(t, 'api/v1'), { type: 'GET_STATE' }, { Accept: 'application/json' });
        assert.equal(state.status, 200);
        const gs = JSON.parse(state.body);
        assert.equal(gs.type, 'GET_STATE');
        assert.ok(Array.isArray(gs.get_state.get_agents.agents));
        assert.ok(Array.isArray(gs.get_state.get_tasks.tasks ?? []));
        const agents = await httpRequest('POST', url(t, 'api/v1'), { type: 'GET_AGENTS' }, { Accept: 'application/json' });
        const ga = JSON.parse(agents.body);
        assert.equal(ga.type, 'GET_AGENTS');
        assert.ok(ga.get_agents.agents.length >= 2);
        assert.ok(ga.get_agents.agents[0].agent_info.id.value);
        assert.ok(Array.isArray(ga.get_agents.agents[0].total_resources));
      });
    });
  });
}
